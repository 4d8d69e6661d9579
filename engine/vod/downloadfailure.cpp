#include "vod/downloadfailure.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

QString DownloadFailure::kindName() const
{
    switch (kind) {
    case Kind::Retryable:
        return u"retryable"_s;
    case Kind::NotFound:
        return u"not-found"_s;
    case Kind::AuthRequired:
        return u"auth-required"_s;
    case Kind::Invalid:
        return u"invalid"_s;
    }
    return {};
}

} // namespace Pitwall
