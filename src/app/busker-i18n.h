/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Sets the locale and binds the text domain. BUSKER_LOCALEDIR overrides
 * the installed catalogue folder so tests and build-aux/run use the
 * catalogues of the build tree. */
void busker_i18n_init (void);
