#pragma once

#include <QString>

// A system user for tests that need a second, unprivileged owner of a process (root only):
// created with `useradd -r` when missing and left in place. Returns its uid; aborts the test
// binary if the user cannot be had, since every later check would be meaningless.
uint ensureSystemUser(const QString &name);
