#include "vod/helixsettings.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

QUrl below(QUrl base, const QString &path)
{
    QString prefix = base.path();
    while (prefix.endsWith(u'/'))
        prefix.chop(1);
    base.setPath(prefix + path);
    base.setQuery(QString());
    return base;
}

} // namespace

QUrl HelixSettings::helixEndpoint(const QString &endpoint) const
{
    return below(helixUrl, u"/helix/"_s + endpoint);
}

QUrl HelixSettings::tokenEndpoint() const
{
    return below(authUrl, u"/oauth2/token"_s);
}

QUrl HelixSettings::authorizeEndpoint() const
{
    return below(authUrl, u"/oauth2/authorize"_s);
}

} // namespace Pitwall
