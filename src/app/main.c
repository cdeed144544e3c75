/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "app/busker-application.h"
#include "app/busker-headless.h"
#include "app/busker-i18n.h"

int
main (int argc, char *argv[])
{
  g_autoptr (BuskerApplication) app = NULL;

  busker_i18n_init ();
  if (busker_headless_requested (argc, argv))
    return busker_headless_main (argc, argv);
  app = busker_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
