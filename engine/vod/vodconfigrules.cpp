#include "vod/vodconfigrules.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Pitwall::VodConfigRules {

std::optional<QString> boolean(bool &out, const QString &value)
{
    const QString text = value.trimmed().toLower();
    if (text == u"1" || text == u"true" || text == u"yes" || text == u"on") {
        out = true;
        return std::nullopt;
    }
    if (text == u"0" || text == u"false" || text == u"no" || text == u"off") {
        out = false;
        return std::nullopt;
    }
    return u"must be 1, true, yes, on or 0, false, no, off"_s;
}

std::optional<QString> baseUrl(QUrl &out, const QString &value)
{
    const QUrl url(value.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https")
        || url.host().isEmpty() || url.hasQuery() || url.hasFragment() || !url.userInfo().isEmpty())
        return u"must be an http:// or https:// URL with a host and no query, "
               "e.g. http://127.0.0.1:9000"_s;
    out = url;
    return std::nullopt;
}

std::optional<QString> login(QString &out, const QString &value)
{
    static const QRegularExpression pattern(u"^[a-z0-9_]{1,25}$"_s);
    const QString text = value.trimmed().toLower();
    if (!pattern.match(text).hasMatch())
        return u"must be a Twitch login: 1..25 of a-z 0-9 _"_s;
    out = text;
    return std::nullopt;
}

std::optional<QString> logins(QStringList &out, const QString &value)
{
    QStringList parsed;
    for (const QString &item : value.split(u',', Qt::SkipEmptyParts)) {
        QString name;
        if (login(name, item))
            return u"must be a comma-separated list of Twitch logins (1..25 of a-z 0-9 _)"_s;
        if (parsed.contains(name))
            return u"must not name a channel twice (%1)"_s.arg(name);
        parsed << name;
    }
    if (parsed.isEmpty())
        return u"must name at least one channel"_s;
    out = parsed;
    return std::nullopt;
}

std::optional<QString> hostPort(QString &host, quint16 &port, const QString &value)
{
    static const QString rule = u"must be HOST:PORT with a port 1..65535, e.g. irc.chat.twitch.tv:6697"_s;
    const QString text = value.trimmed();
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon <= 0)
        return rule;
    QString name = text.left(colon);
    if (name.startsWith(u'[') && name.endsWith(u']'))
        name = name.mid(1, name.size() - 2);
    bool ok = false;
    const uint number = text.mid(colon + 1).toUInt(&ok);
    static const QRegularExpression hostPattern(u"^[A-Za-z0-9.:_-]+$"_s);
    if (!ok || number == 0 || number > 65535 || !hostPattern.match(name).hasMatch())
        return rule;
    host = name;
    port = quint16(number);
    return std::nullopt;
}

std::optional<QString> aesKey(QByteArray &out, const QString &value)
{
    const auto decoded = QByteArray::fromBase64Encoding(value.trimmed().toLatin1(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != 32)
        return u"must be base64 of exactly 32 bytes (openssl rand -base64 32)"_s;
    out = decoded.decoded;
    return std::nullopt;
}

std::optional<QString> scopes(QStringList &out, const QString &value)
{
    // A scope token is printable ASCII except space, double quote and backslash; a comma is
    // allowed by the RFC but separates scopes here, as vod-tender's settings do.
    static const QRegularExpression token(u"^[\\x21\\x23-\\x2B\\x2D-\\x5B\\x5D-\\x7E]+$"_s);
    static const QRegularExpression separators(u"[,\\s]+"_s);
    const QStringList list = value.split(separators, Qt::SkipEmptyParts);
    if (list.isEmpty())
        return u"must name at least one scope, separated by commas or spaces"_s;
    for (const QString &scope : list) {
        if (!token.match(scope).hasMatch())
            return u"must be OAuth scopes (printable ASCII without quotes or backslashes), "
                   "separated by commas or spaces"_s;
    }
    out = list;
    return std::nullopt;
}

} // namespace Pitwall::VodConfigRules
