#include "relay/protocol/parseerror.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

QString ParseError::toString() const
{
    return field.isEmpty() ? reason : field + u": "_s + reason;
}

} // namespace Pitwall
