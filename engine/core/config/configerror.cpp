#include "core/config/configerror.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

QString ConfigError::toString() const
{
    return u"configuration error: %1=\"%2\" (%3): %4"_s.arg(key, value, source, rule);
}

} // namespace Pitwall
