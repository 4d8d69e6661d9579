#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace Pitwall {

// One IRC line with IRCv3 message tags:
//   [@key=value;key2 ][:prefix ]COMMAND [param ...][ :trailing]
// Tag values are unescaped (\: ; \s space, \\ backslash, \r CR, \n LF; any other escaped
// character stands for itself and a lone trailing backslash is dropped). The trailing
// parameter, when present, is the last of params.
struct IrcMessage
{
    QMap<QString, QString> tags; // a key without value maps to ""
    QString prefix;              // "nick!user@host" or a server name; empty when absent
    QString command;             // upper case: "PRIVMSG", "001"
    QStringList params;

    // One line, with or without its CR LF (it ends at the first CR or LF); nullopt when it has
    // no command. Bytes are read as UTF-8 (invalid sequences become U+FFFD).
    static std::optional<IrcMessage> parse(QByteArrayView line);
    // The line for the wire, without CR LF; parse(serialize()) gives the message back.
    QByteArray serialize() const;

    QString tag(const QString &key) const { return tags.value(key); }
    bool hasTag(const QString &key) const { return tags.contains(key); }
    // The nick of a "nick!user@host" prefix (the whole prefix for a server).
    QString nick() const;
    // The last parameter (the message text of PRIVMSG and NOTICE), or "".
    QString trailing() const { return params.isEmpty() ? QString() : params.constLast(); }

    static QString unescapeTagValue(QStringView value);
    static QString escapeTagValue(QStringView value);

    friend bool operator==(const IrcMessage &, const IrcMessage &) = default;
};

} // namespace Pitwall

Q_DECLARE_METATYPE(Pitwall::IrcMessage)
