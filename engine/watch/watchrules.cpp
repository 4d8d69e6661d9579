#include "watch/watchrules.h"

#include <QDir>
#include <QRegularExpression>

#include <limits>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace Pitwall::WatchRules {

using namespace SettingBuilders;

namespace {

constexpr qint64 MaxPid = 4194304; // PID_MAX_LIMIT on 64-bit kernels
constexpr milliseconds MaxRuntime = 24h * 365;

} // namespace

Rule commandName(const QString &name)
{
    static const QRegularExpression pattern(u"^[A-Za-z0-9_+][A-Za-z0-9._+-]{0,63}$"_s);
    if (!pattern.match(name).hasMatch())
        return u"must be an executable file name: 1..64 characters of A-Z a-z 0-9 . _ + -, "
               "not starting with . or -"_s;
    return std::nullopt;
}

Rule absolutePath(QString &out, const QString &value)
{
    if (!value.startsWith(u'/'))
        return u"must be an absolute path"_s;
    out = QDir::cleanPath(value);
    return std::nullopt;
}

Rule userName(QString &out, const QString &value)
{
    static const QRegularExpression forbidden(u"[\\s:/]"_s);
    if (value.isEmpty() || value.contains(forbidden))
        return u"must be a user name (no spaces, ':' or '/')"_s;
    out = value;
    return std::nullopt;
}

Rule cgroupBase(QString &out, const QString &value)
{
    static const QRegularExpression pattern(
        u"^[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*$"_s);
    if (!pattern.match(value).hasMatch())
        return u"must be a relative cgroup path such as pitwall or pitwall/watch "
               "(components of A-Z a-z 0-9 . _ -, not starting with .)"_s;
    out = value;
    return std::nullopt;
}

QList<Setting<WatchFilters>> filterSettings()
{
    using F = WatchFilters;
    constexpr auto Scalar = SettingShape::Scalar;
    constexpr auto List = SettingShape::List;
    constexpr uint MaxUid = std::numeric_limits<uint>::max() - 1; // (uid_t)-1 means "no uid"
    const auto ints = [](QList<int> F::*field) {
        return listField<F, int>(field, integerItem<int>(1, MaxPid));
    };
    const auto uids = [](QList<uint> F::*field) {
        return listField<F, uint>(field, integerItem<uint>(0, MaxUid));
    };
    const auto paths = [](QStringList F::*field) {
        return listField<F, QString>(field, absolutePath);
    };
    const auto users = [](QStringList F::*field) {
        return listField<F, QString>(field, userName);
    };
    return {
        {"min_runtime"_L1, {}, Scalar, durationField(&F::minRuntime, 0ms, MaxRuntime), {}},
        {"max_runtime"_L1, {}, Scalar, durationField(&F::maxRuntime, 0ms, MaxRuntime), {}},
        {"allowed_users"_L1, {}, List, users(&F::allowedUsers), {}},
        {"blocked_users"_L1, {}, List, users(&F::blockedUsers), {}},
        {"allowed_uids"_L1, {}, List, uids(&F::allowedUids), {}},
        {"blocked_uids"_L1, {}, List, uids(&F::blockedUids), {}},
        {"allowed_parents"_L1, {}, List, ints(&F::allowedParents), {}},
        {"blocked_parents"_L1, {}, List, ints(&F::blockedParents), {}},
        {"allowed_dirs"_L1, {}, List, paths(&F::allowedDirs), {}},
        {"blocked_dirs"_L1, {}, List, paths(&F::blockedDirs), {}},
    };
}

} // namespace Pitwall::WatchRules
