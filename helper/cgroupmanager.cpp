#include "cgroupmanager.h"

#include "limitfiles.h"

#include <QRegularExpression>
#include <QSet>

#include <utility>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

const QList<QByteArray> wantedControllers{"cpu", "memory"};

// Enables what `wanted` lists and cgroup.subtree_control does not show yet, in one write.
bool enableControllers(const CgroupDir &dir, const QList<QByteArray> &wanted, QString *error)
{
    const auto current = dir.readFile("cgroup.subtree_control"_L1, error);
    if (!current)
        return false;
    const QList<QByteArray> enabled = current->split(' ');
    QList<QByteArray> missing;
    for (const QByteArray &controller : wanted) {
        if (!enabled.contains(controller))
            missing << '+' + controller;
    }
    return missing.isEmpty()
        || dir.writeFile("cgroup.subtree_control"_L1, missing.join(' '), error);
}

bool checkJobId(const QString &jobId, QString *error)
{
    if (CgroupManager::isValidJobId(jobId))
        return true;
    if (error)
        *error = u"invalid job id \"%1\" (expected auto-<command>-<pid>)"_s.arg(jobId.left(64));
    return false;
}

bool writePid(const std::vector<CgroupDir> &dirs, int pid, QString *error)
{
    if (pid <= 0) {
        if (error)
            *error = u"invalid pid %1"_s.arg(pid);
        return false;
    }
    for (const CgroupDir &dir : dirs) {
        if (!dir.writeFile("cgroup.procs"_L1, QByteArray::number(pid), error))
            return false;
    }
    return true;
}

} // namespace

CgroupManager::CgroupManager(CgroupLayout layout, QString base)
    : m_layout(std::move(layout))
    , m_base(std::move(base))
{
}

bool CgroupManager::prepareBase(QString *error)
{
    if (!checkUsable(error))
        return false;
    m_missing.clear();
    QList<QByteArray> wanted;
    if (m_layout.isUnified()) {
        const auto root = CgroupDir::openAbsolute(m_layout.unifiedMount(), error);
        const auto available = root ? root->readFile("cgroup.controllers"_L1, error) : std::nullopt;
        if (!available)
            return false;
        for (const QByteArray &controller : wantedControllers) {
            if (available->split(' ').contains(controller))
                wanted << controller;
            else
                m_missing << QString::fromLatin1(controller);
        }
        // The root first: a controller reaches the base's subtree only through the root's.
        if (!enableControllers(*root, wanted, error))
            return false;
    }
    for (const QString &mount : m_layout.hierarchies()) {
        const auto root = CgroupDir::openAbsolute(mount, error);
        bool created = false;
        if (!root || !root->makeChild(m_base, &created, error))
            return false;
        const auto base = root->openChild(m_base, error);
        if (!base || (m_layout.isUnified() && !enableControllers(*base, wanted, error)))
            return false;
    }
    return true;
}

std::optional<AppliedLimits> CgroupManager::createJob(const QString &jobId,
                                                      const CgroupLimits &limits, QString *error)
{
    if (!checkUsable(error))
        return std::nullopt;
    if (!checkJobId(jobId, error))
        return std::nullopt;
    if (!limits.validate(error))
        return std::nullopt;
    auto bases = openBases(error);
    if (!bases)
        return std::nullopt;

    std::vector<const CgroupDir *> created;
    std::vector<CgroupDir> jobs;
    std::optional<AppliedLimits> applied;
    for (const CgroupDir &base : *bases) {
        bool made = false;
        const bool ok = base.makeChild(jobId, &made, error);
        if (made)
            created.push_back(&base);
        auto job = ok ? base.openChild(jobId, error) : std::nullopt;
        if (!job)
            break;
        jobs.push_back(std::move(*job));
    }
    if (jobs.size() == bases->size())
        applied = applyLimits(jobId, jobs, limits, error);
    if (!applied) {
        // Only what this call made: an existing job may hold a governed process.
        for (const CgroupDir *base : created)
            base->removeChild(jobId, nullptr);
    }
    return applied;
}

std::optional<AppliedLimits> CgroupManager::applyLimits(const QString &jobId,
                                                        const std::vector<CgroupDir> &jobs,
                                                        const CgroupLimits &limits,
                                                        QString *error) const
{
    AppliedLimits applied;
    std::optional<CgroupLimits> readBack;
    if (m_layout.isUnified()) {
        readBack = LimitFiles::applyUnified(jobs.front(), limits, error);
    } else {
        readBack = LimitFiles::applyV1(jobs.front(), jobs.back(), limits, error);
        if (limits.memoryHighMb)
            applied.unsupported << u"memory_high"_s;
    }
    if (!readBack)
        return std::nullopt;
    applied.limits = *readBack;
    applied.paths = jobPaths(jobId);
    return applied;
}

bool CgroupManager::movePid(const QString &jobId, int pid, QString *error)
{
    const auto jobs = openJob(jobId, error);
    return jobs && writePid(*jobs, pid, error);
}

bool CgroupManager::movePidToRoot(int pid, QString *error)
{
    if (!checkUsable(error))
        return false;
    std::vector<CgroupDir> roots;
    for (const QString &mount : m_layout.hierarchies()) {
        auto root = CgroupDir::openAbsolute(mount, error);
        if (!root)
            return false;
        roots.push_back(std::move(*root));
    }
    return writePid(roots, pid, error);
}

bool CgroupManager::jobContainsPid(const QString &jobId, int pid) const
{
    const auto jobs = openJob(jobId, nullptr);
    if (!jobs)
        return false;
    const QByteArray wanted = QByteArray::number(pid);
    for (const CgroupDir &job : *jobs) {
        const auto procs = job.readFile("cgroup.procs"_L1, nullptr);
        if (procs && procs->split('\n').contains(wanted))
            return true;
    }
    return false;
}

bool CgroupManager::removeJob(const QString &jobId, QString *error)
{
    if (!checkJobId(jobId, error))
        return false;
    const auto bases = openBases(error);
    if (!bases)
        return false;
    bool removed = true;
    // Every hierarchy is tried, so one busy part does not keep the others.
    for (const CgroupDir &base : *bases)
        removed = base.removeChild(jobId, removed ? error : nullptr) && removed;
    return removed;
}

QStringList CgroupManager::sweepEmptyJobs()
{
    const auto bases = openBases(nullptr);
    if (!bases)
        return {};
    QStringList attempted;
    QSet<QString> kept;
    for (const CgroupDir &base : *bases) {
        for (const QString &name : base.childDirectories()) {
            if (!isValidJobId(name))
                continue;
            if (!attempted.contains(name))
                attempted << name;
            if (!base.removeChild(name, nullptr))
                kept.insert(name);
        }
    }
    attempted.removeIf([&kept](const QString &name) { return kept.contains(name); });
    return attempted;
}

QStringList CgroupManager::jobPaths(const QString &jobId) const
{
    QStringList paths;
    if (!isValidJobId(jobId) || !isValidBase(m_base))
        return paths;
    for (const QString &mount : m_layout.hierarchies())
        paths << mount + u'/' + m_base + u'/' + jobId;
    return paths;
}

QString CgroupManager::jobIdFor(const QString &command, int pid)
{
    return u"auto-%1-%2"_s.arg(command).arg(pid);
}

bool CgroupManager::isValidJobId(const QString &jobId)
{
    static const QRegularExpression shape(u"\\Aauto-[A-Za-z0-9._-]+-[1-9][0-9]{0,9}\\z"_s);
    return jobId.size() <= 200 && !jobId.contains(u".."_s) && shape.match(jobId).hasMatch();
}

bool CgroupManager::isValidBase(const QString &base)
{
    static const QRegularExpression shape(u"\\A[A-Za-z0-9._-]{1,64}\\z"_s);
    return base != u"."_s && base != u".."_s && shape.match(base).hasMatch();
}

bool CgroupManager::checkUsable(QString *error) const
{
    QString problem;
    if (m_layout.kind() == CgroupLayout::Kind::None)
        problem = u"no usable cgroup hierarchy: "_s + m_layout.reason();
    else if (!isValidBase(m_base))
        problem = u"invalid cgroup base \"%1\" (allowed: letters, digits, '.', '_', '-')"_s.arg(
            m_base.left(64));
    if (problem.isEmpty())
        return true;
    if (error)
        *error = problem;
    return false;
}

std::optional<std::vector<CgroupDir>> CgroupManager::openBases(QString *error) const
{
    if (!checkUsable(error))
        return std::nullopt;
    std::vector<CgroupDir> bases;
    for (const QString &mount : m_layout.hierarchies()) {
        const auto root = CgroupDir::openAbsolute(mount, error);
        auto base = root ? root->openChild(m_base, error) : std::nullopt;
        if (!base)
            return std::nullopt;
        bases.push_back(std::move(*base));
    }
    return bases;
}

std::optional<std::vector<CgroupDir>> CgroupManager::openJob(const QString &jobId,
                                                             QString *error) const
{
    if (!checkJobId(jobId, error))
        return std::nullopt;
    auto bases = openBases(error);
    if (!bases)
        return std::nullopt;
    std::vector<CgroupDir> jobs;
    for (const CgroupDir &base : *bases) {
        auto job = base.openChild(jobId, error);
        if (!job)
            return std::nullopt;
        jobs.push_back(std::move(*job));
    }
    return jobs;
}

} // namespace Pitwall
