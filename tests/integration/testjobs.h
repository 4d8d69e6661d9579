#pragma once

#include "cgrouplayout.h"

#include <QStringList>

class CgroupWorkload;

// The kernel's view of a job that got the tests' standard limits (cpu_quota 200 %, cpu_weight
// 100, memory_limit 4096 MB) with `workload` in it: one "what: got X, want Y" line for each file
// or membership that differs, none when all match. v2: cpu.max, cpu.weight, memory.max; v1: the
// cfs period and quota, cpu.shares, memory.limit_in_bytes and cgroup.procs.
QStringList standardJobMismatches(const Pitwall::CgroupLayout &layout, const QString &base,
                                  const QString &jobId, const CgroupWorkload &workload);

// Removes the empty jobs under a test's base and then the base in every hierarchy; returns the
// directory that could not be removed, empty when all went.
QString removeTestBase(const Pitwall::CgroupLayout &layout, const QString &base);
