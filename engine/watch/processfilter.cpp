#include "watch/processfilter.h"

#include "core/config/duration.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace Pitwall {

namespace {

// Path-component prefix: "/tmp" covers "/tmp" and "/tmp/x" but not "/tmpx"; "/" covers all.
bool isUnder(const QString &path, const QString &dir)
{
    if (dir == u"/")
        return path.startsWith(u'/');
    return path.startsWith(dir) && (path.size() == dir.size() || path.at(dir.size()) == u'/');
}

// The first of `dirs` that `path` lies under, or nothing.
std::optional<QString> containingDir(const QStringList &dirs, const QString &path)
{
    if (path.isEmpty())
        return std::nullopt;
    for (const QString &dir : dirs) {
        if (isUnder(path, dir))
            return dir;
    }
    return std::nullopt;
}

QString directoryOf(const QString &file)
{
    const qsizetype slash = file.lastIndexOf(u'/');
    if (slash < 0)
        return QString();
    return slash == 0 ? u"/"_s : file.left(slash);
}

// Ages in messages are rounded to whole seconds: "running for 12s", not "12034ms".
QString roundedAge(milliseconds age)
{
    return formatDuration(std::chrono::duration_cast<std::chrono::seconds>(age));
}

} // namespace

ProcessFilter::ProcessFilter(const WatchConfig &config)
    : m_global{u"filters"_s, config.filters}
{
    for (auto it = config.commands.cbegin(); it != config.commands.cend(); ++it)
        m_commands.insert(it.key(), {u"commands.%1.filters"_s.arg(it.key()), it->filters});
}

FilterDecision ProcessFilter::decide(const ProcessInfo &process, const QDateTime &now) const
{
    QList<const Level *> levels{&m_global};
    if (const auto it = m_commands.constFind(process.command); it != m_commands.cend())
        levels.append(&*it);

    const milliseconds age(process.startedAt.msecsTo(now));
    QStringList notes;
    for (const Level *level : levels) {
        if (auto reason = rejection(*level, process, age, notes))
            return FilterDecision::reject(*reason);
    }

    const Level *deferredBy = nullptr;
    for (const Level *level : levels) {
        const milliseconds min = level->filters.minRuntime;
        if (age < min && (!deferredBy || min > deferredBy->filters.minRuntime))
            deferredBy = level;
    }
    if (deferredBy) {
        const milliseconds min = deferredBy->filters.minRuntime;
        return FilterDecision::defer(
            process.startedAt.addMSecs(min.count()),
            u"%1.min_runtime: running for %2, needs %3"_s.arg(deferredBy->path, roundedAge(age),
                                                              formatDuration(min)));
    }
    return FilterDecision::accept(notes.join(u"; "_s));
}

std::optional<QString> ProcessFilter::rejection(const Level &level, const ProcessInfo &process,
                                                milliseconds age, QStringList &notes) const
{
    const WatchFilters &filters = level.filters;
    if (auto reason = userRejection(level, process.uid, notes))
        return reason;
    if (!filters.allowedUids.isEmpty() && !filters.allowedUids.contains(process.uid))
        return u"%1.allowed_uids: uid %2 is not listed"_s.arg(level.path).arg(process.uid);
    if (filters.blockedUids.contains(process.uid))
        return u"%1.blocked_uids: uid %2 is blocked"_s.arg(level.path).arg(process.uid);
    if (!filters.allowedParents.isEmpty() && !filters.allowedParents.contains(process.ppid))
        return u"%1.allowed_parents: parent %2 is not listed"_s.arg(level.path).arg(process.ppid);
    if (filters.blockedParents.contains(process.ppid))
        return u"%1.blocked_parents: parent %2 is blocked"_s.arg(level.path).arg(process.ppid);
    if (auto reason = dirRejection(level, process, notes))
        return reason;
    if (filters.maxRuntime > 0ms && age > filters.maxRuntime)
        return u"%1.max_runtime: running for %2, longer than %3"_s.arg(
            level.path, roundedAge(age), formatDuration(filters.maxRuntime));
    return std::nullopt;
}

std::optional<QString> ProcessFilter::userRejection(const Level &level, uint uid,
                                                    QStringList &notes) const
{
    const WatchFilters &filters = level.filters;
    if (filters.allowedUsers.isEmpty() && filters.blockedUsers.isEmpty())
        return std::nullopt;
    const std::optional<QString> name = m_users.nameOf(uid);
    if (!filters.allowedUsers.isEmpty()) {
        if (!name)
            return u"%1.allowed_users: uid %2 has no user name"_s.arg(level.path).arg(uid);
        if (!filters.allowedUsers.contains(*name))
            return u"%1.allowed_users: user %2 is not listed"_s.arg(level.path, *name);
    }
    if (!filters.blockedUsers.isEmpty()) {
        if (!name)
            notes << u"%1.blocked_users: uid %2 has no user name, not blocked"_s.arg(level.path)
                         .arg(uid);
        else if (filters.blockedUsers.contains(*name))
            return u"%1.blocked_users: user %2 is blocked"_s.arg(level.path, *name);
    }
    return std::nullopt;
}

std::optional<QString> ProcessFilter::dirRejection(const Level &level, const ProcessInfo &process,
                                                   QStringList &notes)
{
    const WatchFilters &filters = level.filters;
    const QString exeDir = directoryOf(process.exePath);
    const bool cwdKnown = !process.cwd.isEmpty();
    if (!filters.blockedDirs.isEmpty()) {
        if (const auto dir = containingDir(filters.blockedDirs, process.cwd))
            return u"%1.blocked_dirs: cwd %2 is under %3"_s.arg(level.path, process.cwd, *dir);
        if (const auto dir = containingDir(filters.blockedDirs, exeDir))
            return u"%1.blocked_dirs: executable directory %2 is under %3"_s.arg(level.path,
                                                                                 exeDir, *dir);
        if (!cwdKnown)
            notes << u"%1.blocked_dirs: cwd unreadable, checked the executable directory only"_s
                         .arg(level.path);
    }
    if (!filters.allowedDirs.isEmpty() && !containingDir(filters.allowedDirs, process.cwd)
        && !containingDir(filters.allowedDirs, exeDir)) {
        const QString cwd = cwdKnown ? process.cwd : u"(unreadable)"_s;
        return u"%1.allowed_dirs: neither cwd %2 nor executable directory %3 is under an "
               "allowed dir"_s.arg(level.path, cwd, exeDir);
    }
    return std::nullopt;
}

} // namespace Pitwall
