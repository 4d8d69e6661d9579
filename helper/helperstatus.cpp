#include "helperstatus.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

QString helperStatusName(HelperStatus status)
{
    switch (status) {
    case HelperStatus::Ok:
        return u"ok"_s;
    case HelperStatus::Malformed:
        return u"malformed"_s;
    case HelperStatus::Refused:
        return u"refused"_s;
    case HelperStatus::CgroupFailed:
        return u"cgroup_failed"_s;
    case HelperStatus::ConfigError:
        break;
    }
    return u"config_error"_s;
}

} // namespace Pitwall
