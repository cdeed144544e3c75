/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "busker-level-meter.h"

#define FALL_DB_PER_S 13.3f
#define HOLD_US (G_USEC_PER_SEC * 3 / 2)
/* Longer gaps (the window was hidden) do not make the bars jump. */
#define MAX_DT_S 0.1f
#define CLIP_LAMP_PX 4
#define GAP_PX 1

typedef struct {
  float peak_db;  /* displayed peak, falling */
  float rms_db;
  float hold_db;
  gint64 hold_since_us;
  int peak_px, rms_px, hold_px; /* what was drawn last, in pixels from the bottom */
} Channel;

struct _BuskerLevelMeter
{
  GtkWidget parent_instance;

  Channel ch[2];
  gboolean clipped;
  gint64 last_us;
  GtkWidget *host;      /* paints the bars when set; not owned */
  gboolean damage_mark; /* see busker_level_meter_snapshot_bars */
};

G_DEFINE_FINAL_TYPE (BuskerLevelMeter, busker_level_meter, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_CLIPPED, N_PROPS };
static GParamSpec *pspecs[N_PROPS];

static float
db_to_fraction (float db)
{
  if (!(db > BUSKER_LEVEL_METER_FLOOR_DB))
    return 0.0f;
  if (db >= BUSKER_LEVEL_METER_TOP_DB)
    return 1.0f;
  return (db - BUSKER_LEVEL_METER_FLOOR_DB) / (BUSKER_LEVEL_METER_TOP_DB - BUSKER_LEVEL_METER_FLOOR_DB);
}

static int
bar_height (BuskerLevelMeter *self)
{
  return MAX (0, gtk_widget_get_height (GTK_WIDGET (self)) - CLIP_LAMP_PX - GAP_PX);
}

static int
db_to_px (BuskerLevelMeter *self, float db)
{
  return (int) lroundf (db_to_fraction (db) * (float) bar_height (self));
}

static void
redraw (BuskerLevelMeter *self)
{
  gtk_widget_queue_draw (self->host != NULL ? self->host : GTK_WIDGET (self));
}

static void
set_clipped (BuskerLevelMeter *self, gboolean clipped)
{
  if (self->clipped == clipped)
    return;
  self->clipped = clipped;
  redraw (self);
  g_object_notify_by_pspec (G_OBJECT (self), pspecs[PROP_CLIPPED]);
}

gboolean
busker_level_meter_push (BuskerLevelMeter *self, const float peak_db[2], const float rms_db[2],
                   gint64 frame_time_us)
{
  gboolean moved = FALSE;
  float dt_s;

  g_return_val_if_fail (BUSKER_IS_LEVEL_METER (self), FALSE);

  dt_s = self->last_us == 0 ? 0.0f : (float) (frame_time_us - self->last_us) / G_USEC_PER_SEC;
  dt_s = CLAMP (dt_s, 0.0f, MAX_DT_S);
  self->last_us = frame_time_us;

  for (int c = 0; c < 2; c++)
    {
      Channel *ch = &self->ch[c];
      float fallen = ch->peak_db - FALL_DB_PER_S * dt_s;
      int px;

      ch->peak_db = peak_db[c] > fallen ? peak_db[c] : fallen;
      if (ch->peak_db < BUSKER_LEVEL_METER_FLOOR_DB)
        ch->peak_db = -INFINITY;
      ch->rms_db = rms_db[c];
      if (peak_db[c] >= ch->hold_db)
        {
          ch->hold_db = peak_db[c];
          ch->hold_since_us = frame_time_us;
        }
      else if (frame_time_us - ch->hold_since_us > HOLD_US)
        ch->hold_db = MAX (ch->hold_db - FALL_DB_PER_S * dt_s, ch->peak_db);
      if (peak_db[c] >= BUSKER_LEVEL_METER_CLIP_DB)
        set_clipped (self, TRUE);

      px = db_to_px (self, ch->peak_db);
      moved |= px != ch->peak_px;
      px = db_to_px (self, ch->rms_db);
      moved |= px != ch->rms_px;
      px = db_to_px (self, ch->hold_db);
      moved |= px != ch->hold_px;
    }
  if (moved)
    redraw (self);
  return moved;
}

void
busker_level_meter_reset (BuskerLevelMeter *self)
{
  g_return_if_fail (BUSKER_IS_LEVEL_METER (self));
  for (int c = 0; c < 2; c++)
    {
      self->ch[c].peak_db = self->ch[c].rms_db = self->ch[c].hold_db = -INFINITY;
      self->ch[c].hold_since_us = 0;
    }
  self->last_us = 0;
  set_clipped (self, FALSE);
  redraw (self);
}

void
busker_level_meter_set_host (BuskerLevelMeter *self, GtkWidget *host)
{
  g_return_if_fail (BUSKER_IS_LEVEL_METER (self));
  g_return_if_fail (host == NULL || gtk_widget_is_ancestor (GTK_WIDGET (self), host));
  self->host = host;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  redraw (self);
}

float
busker_level_meter_get_peak_db (BuskerLevelMeter *self, guint channel)
{
  g_return_val_if_fail (BUSKER_IS_LEVEL_METER (self), -INFINITY);
  g_return_val_if_fail (channel < 2, -INFINITY);
  return self->ch[channel].peak_db;
}

gboolean
busker_level_meter_get_clipped (BuskerLevelMeter *self)
{
  g_return_val_if_fail (BUSKER_IS_LEVEL_METER (self), FALSE);
  return self->clipped;
}

void
busker_level_meter_clear_clip (BuskerLevelMeter *self)
{
  g_return_if_fail (BUSKER_IS_LEVEL_METER (self));
  set_clipped (self, FALSE);
}

static void
on_click_cb (GtkGestureClick *gesture, int n_press, double x, double y, BuskerLevelMeter *self)
{
  busker_level_meter_clear_clip (self);
}

/* The part of a bar from from_px to to_px (pixels up from the bar's
 * bottom at y = bottom) in the level colours: green, yellow from −18 dBFS,
 * red from −6 dBFS, each a plain colour node (cheaper than a gradient
 * with hard stops in either renderer, and the same pixels). */
static void
append_bands (BuskerLevelMeter *self, GtkSnapshot *snapshot, float x, float width, int bottom,
              int from_px, int to_px, float alpha)
{
  const GdkRGBA colors[] = {
    { 0.20f, 0.82f, 0.48f, alpha },
    { 0.96f, 0.83f, 0.18f, alpha },
    { 0.88f, 0.11f, 0.14f, alpha },
  };
  int edges[] = { 0, db_to_px (self, -18.0f), db_to_px (self, -6.0f), G_MAXINT };

  for (guint i = 0; i < G_N_ELEMENTS (colors); i++)
    {
      int lo = MAX (from_px, edges[i]), hi = MIN (to_px, edges[i + 1]);

      if (hi > lo)
        gtk_snapshot_append_color (snapshot, &colors[i],
                                   &GRAPHENE_RECT_INIT (x, bottom - hi, width, hi - lo));
    }
}

void
busker_level_meter_snapshot_bars (BuskerLevelMeter *self, GtkSnapshot *snapshot)
{
  static const GdkRGBA trough = { 0.5f, 0.5f, 0.5f, 0.25f };
  static const GdkRGBA hold = { 1.0f, 1.0f, 1.0f, 0.9f };
  static const GdkRGBA lamp_off = { 0.5f, 0.5f, 0.5f, 0.35f };
  static const GdkRGBA lamp_on = { 0.88f, 0.11f, 0.14f, 1.0f };
  int width, height, top, bottom;
  float bar_w;

  g_return_if_fail (BUSKER_IS_LEVEL_METER (self));
  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = bar_height (self);
  top = CLIP_LAMP_PX + GAP_PX;
  bottom = top + height;
  bar_w = (width - GAP_PX) / 2.0f;

  /* One damage rectangle per meter. GSK repaints what differs from the
   * last frame; bars of different heights in many meters give a region
   * of many bands, and beyond 30 rectangles GSK gives up and repaints the
   * whole strip row (gsk_container_node_diff, MAX_RECTS_IN_DIFF). A
   * transparent node over the whole meter, present every other redraw,
   * makes each redraw's damage exactly the meter's box, and the boxes
   * of all meters share one band. It paints nothing (clear OVER). */
  self->damage_mark = !self->damage_mark;
  if (self->damage_mark)
    gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 0 },
                               &GRAPHENE_RECT_INIT (0, 0, width, gtk_widget_get_height (GTK_WIDGET (self))));
  gtk_snapshot_append_color (snapshot, self->clipped ? &lamp_on : &lamp_off,
                             &GRAPHENE_RECT_INIT (0, 0, width, CLIP_LAMP_PX));
  for (int c = 0; c < 2; c++)
    {
      Channel *ch = &self->ch[c];
      float x = c * (bar_w + GAP_PX);

      ch->peak_px = db_to_px (self, ch->peak_db);
      ch->rms_px = db_to_px (self, ch->rms_db);
      ch->hold_px = db_to_px (self, ch->hold_db);

      /* Bottom up: the RMS bar opaque, then the peak bar translucent over
       * the trough, then the trough; nothing is painted twice. */
      if (ch->rms_px < height)
        gtk_snapshot_append_color (snapshot, &trough,
                                   &GRAPHENE_RECT_INIT (x, top, bar_w, height - ch->rms_px));
      append_bands (self, snapshot, x, bar_w, bottom, 0, ch->rms_px, 1.0f);
      append_bands (self, snapshot, x, bar_w, bottom, ch->rms_px, ch->peak_px, 0.5f);
      if (ch->hold_px > 0)
        gtk_snapshot_append_color (snapshot, &hold,
                                   &GRAPHENE_RECT_INIT (x, bottom - ch->hold_px, bar_w, 1));
    }
}

static void
busker_level_meter_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  BuskerLevelMeter *self = BUSKER_LEVEL_METER (widget);

  if (self->host == NULL)
    busker_level_meter_snapshot_bars (self, snapshot);
}

static void
busker_level_meter_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                      int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = 11;
  else
    {
      *minimum = 60;
      *natural = 200;
    }
}

static void
busker_level_meter_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_CLIPPED:
      g_value_set_boolean (value, BUSKER_LEVEL_METER (object)->clipped);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
busker_level_meter_class_init (BuskerLevelMeterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = busker_level_meter_get_property;
  widget_class->snapshot = busker_level_meter_snapshot;
  widget_class->measure = busker_level_meter_measure;

  pspecs[PROP_CLIPPED] = g_param_spec_boolean ("clipped", NULL, NULL, FALSE,
                                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                               | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, pspecs);

  gtk_widget_class_set_css_name (widget_class, "meter");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_METER);
}

static void
busker_level_meter_init (BuskerLevelMeter *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  for (int c = 0; c < 2; c++)
    self->ch[c].peak_db = self->ch[c].rms_db = self->ch[c].hold_db = -INFINITY;
  g_signal_connect (click, "pressed", G_CALLBACK (on_click_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), _("Click to clear the clip indicator"));
}

GtkWidget *
busker_level_meter_new (void)
{
  return g_object_new (BUSKER_TYPE_LEVEL_METER, NULL);
}
