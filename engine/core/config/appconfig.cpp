#include "core/config/appconfig.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

QString AppConfig::bindEndpoint() const
{
    const QString host = bindAddress.protocol() == QAbstractSocket::IPv6Protocol
        ? u'[' + bindAddress.toString() + u']'
        : bindAddress.toString();
    return host + u':' + QString::number(bindPort);
}

} // namespace Pitwall
