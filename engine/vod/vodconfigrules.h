#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace Pitwall {

// Parsers for the VOD keys, in the style of ConfigRules: each returns the broken rule, or nothing
// on success (then the output is set).
namespace VodConfigRules {

// 1/true/yes/on or 0/false/no/off, any case.
std::optional<QString> boolean(bool &out, const QString &value);
// An absolute http(s) URL with a host and without query or fragment, e.g. http://127.0.0.1:9000.
std::optional<QString> baseUrl(QUrl &out, const QString &value);
// Comma-separated Twitch logins (4..25 of a-z 0-9 _; stored lower case), none twice.
std::optional<QString> logins(QStringList &out, const QString &value);
std::optional<QString> login(QString &out, const QString &value);
// HOST:PORT where HOST is a name or an address, e.g. irc.chat.twitch.tv:6697.
std::optional<QString> hostPort(QString &host, quint16 &port, const QString &value);
// base64 of exactly 32 bytes (an AES-256 key).
std::optional<QString> aesKey(QByteArray &out, const QString &value);
// OAuth scopes separated by commas or spaces (RFC 6749 §3.3 scope tokens), at least one.
std::optional<QString> scopes(QStringList &out, const QString &value);

} // namespace VodConfigRules

} // namespace Pitwall
