#pragma once

#include "appliedlimits.h"
#include "cgroupdir.h"
#include "cgrouplayout.h"
#include "cgrouplimits.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace Pitwall {

// Creates, fills, joins and removes job cgroups `<mount>/<base>/<jobId>` in every hierarchy of
// the layout (v2: the unified mount; v1/hybrid: the cpu and the memory hierarchy). Paths are
// only ever built from the mount point, the validated base and a validated job id, and walked
// with CgroupDir (no symlink followed, allow-listed files only). Not thread-safe; cheap to make.
class CgroupManager final
{
public:
    explicit CgroupManager(CgroupLayout layout, QString base = QStringLiteral("pitwall"));

    const CgroupLayout &layout() const { return m_layout; }
    const QString &base() const { return m_base; }

    // mkdir the base in each hierarchy. v2: enable +cpu +memory in the root's and then the
    // base's cgroup.subtree_control where not enabled yet, limited to the controllers the root's
    // cgroup.controllers offers; the others are listed by missingControllers() (a job there can
    // still be created and joined, but limits needing them are refused).
    bool prepareBase(QString *error);
    const QStringList &missingControllers() const { return m_missing; }

    // mkdir the job (an existing one is reused), write every set limit and read it back — all
    // before any process joins. On failure the directories this call created are removed.
    std::optional<AppliedLimits> createJob(const QString &jobId, const CgroupLimits &limits,
                                           QString *error);
    // Writes the pid to cgroup.procs of the job in every hierarchy (v1: cpu, then memory). On
    // failure the pid may already sit in the first hierarchy: movePidToRoot() undoes that.
    bool movePid(const QString &jobId, int pid, QString *error);
    // Writes the pid to cgroup.procs of every hierarchy's root cgroup (the helper's "clear").
    bool movePidToRoot(int pid, QString *error);
    // True when the job's cgroup.procs lists the pid in at least one hierarchy.
    bool jobContainsPid(const QString &jobId, int pid) const;
    // rmdir the job in every hierarchy; a job that still holds processes is reported (EBUSY),
    // never emptied by force. A job that does not exist counts as removed.
    bool removeJob(const QString &jobId, QString *error);
    // rmdir every empty `auto-*` job under the base (at start, for jobs whose process exited
    // while nobody watched); returns the job ids now gone from every hierarchy.
    QStringList sweepEmptyJobs();
    QStringList jobPaths(const QString &jobId) const;

    // "auto-<command>-<pid>", e.g. auto-ffmpeg-42, auto-gst-launch-1.0-777.
    static QString jobIdFor(const QString &command, int pid);
    static bool isValidJobId(const QString &jobId);
    static bool isValidBase(const QString &base);

private:
    bool checkUsable(QString *error) const;
    // The base directory (or a job in it) in every hierarchy, in layout().hierarchies() order.
    std::optional<std::vector<CgroupDir>> openBases(QString *error) const;
    std::optional<std::vector<CgroupDir>> openJob(const QString &jobId, QString *error) const;
    std::optional<AppliedLimits> applyLimits(const QString &jobId,
                                             const std::vector<CgroupDir> &jobs,
                                             const CgroupLimits &limits, QString *error) const;

    CgroupLayout m_layout;
    QString m_base;
    QStringList m_missing;
};

} // namespace Pitwall
