#pragma once

#include "core/config/configloader.h"

#include <QStringList>

// What the command line asked for. Options that are settings go into `config` with the same
// names the ConfigLoader's keys declare, so precedence is handled in one place.
struct CommandLine
{
    bool daemon = false;
    Pitwall::ConfigSources config;
};

// Parses argv. --help and --version print and exit 0; an unknown option or a missing value
// prints the problem and exits 2, like any other configuration error.
CommandLine parseCommandLine(const QStringList &arguments);

// True when this run needs no window: --daemon, or only --help/--version. Decided before any
// QApplication exists, because a QApplication needs a display and these must work without one.
bool runsHeadless(int argc, char **argv);
