#include "vod/ircmessage.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// The next space-separated word of `rest` (skipping runs of spaces), consumed from it.
QByteArrayView takeWord(QByteArrayView &rest)
{
    while (rest.startsWith(' '))
        rest = rest.sliced(1);
    const qsizetype space = rest.indexOf(' ');
    const QByteArrayView word = space < 0 ? rest : rest.first(space);
    rest = space < 0 ? QByteArrayView() : rest.sliced(space + 1);
    return word;
}

void parseTags(QByteArrayView text, QMap<QString, QString> &tags)
{
    qsizetype start = 0;
    while (start <= text.size()) {
        qsizetype end = text.indexOf(';', start);
        if (end < 0)
            end = text.size();
        const QByteArrayView item = text.sliced(start, end - start);
        const qsizetype equals = item.indexOf('=');
        const QByteArrayView key = equals < 0 ? item : item.first(equals);
        if (!key.isEmpty()) {
            const QString value = equals < 0 ? QString()
                                             : QString::fromUtf8(item.sliced(equals + 1));
            tags.insert(QString::fromUtf8(key), IrcMessage::unescapeTagValue(value));
        }
        start = end + 1;
    }
}

// RFC 1459: a command is letters or a three-digit numeric.
bool isCommand(QByteArrayView word)
{
    if (word.isEmpty())
        return false;
    const bool numeric = word.size() == 3
            && std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
    return numeric || std::all_of(word.begin(), word.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    });
}

} // namespace

std::optional<IrcMessage> IrcMessage::parse(QByteArrayView line)
{
    // A message ends at the first CR or LF: neither can be part of one.
    for (const char end : {'\r', '\n'}) {
        if (const qsizetype at = line.indexOf(end); at >= 0)
            line.truncate(at);
    }
    IrcMessage message;
    QByteArrayView rest = line;
    while (rest.startsWith(' '))
        rest = rest.sliced(1);
    if (rest.startsWith('@'))
        parseTags(takeWord(rest).sliced(1), message.tags);
    while (rest.startsWith(' '))
        rest = rest.sliced(1);
    if (rest.startsWith(':'))
        message.prefix = QString::fromUtf8(takeWord(rest).sliced(1));
    const QByteArrayView command = takeWord(rest);
    if (!isCommand(command))
        return std::nullopt;
    message.command = QString::fromLatin1(command).toUpper();
    for (;;) {
        while (rest.startsWith(' '))
            rest = rest.sliced(1);
        if (rest.isEmpty())
            break;
        if (rest.startsWith(':')) {
            message.params.append(QString::fromUtf8(rest.sliced(1)));
            break;
        }
        message.params.append(QString::fromUtf8(takeWord(rest)));
    }
    return message;
}

QByteArray IrcMessage::serialize() const
{
    QByteArray line;
    if (!tags.isEmpty()) {
        line += '@';
        for (auto it = tags.cbegin(); it != tags.cend(); ++it) {
            if (it != tags.cbegin())
                line += ';';
            line += it.key().toUtf8();
            if (!it.value().isEmpty())
                line += '=' + escapeTagValue(it.value()).toUtf8();
        }
        line += ' ';
    }
    if (!prefix.isEmpty())
        line += ':' + prefix.toUtf8() + ' ';
    line += command.toUtf8();
    for (qsizetype i = 0; i < params.size(); ++i) {
        const QString &param = params.at(i);
        // Only the last parameter may be empty, hold spaces or start with ':'.
        const bool last = i == params.size() - 1;
        const bool needsColon = param.isEmpty() || param.contains(u' ') || param.startsWith(u':');
        line += ' ';
        if (last && needsColon)
            line += ':';
        line += param.toUtf8();
    }
    return line;
}

QString IrcMessage::nick() const
{
    const qsizetype bang = prefix.indexOf(u'!');
    return bang < 0 ? prefix : prefix.first(bang);
}

QString IrcMessage::unescapeTagValue(QStringView value)
{
    QString out;
    out.reserve(value.size());
    for (qsizetype i = 0; i < value.size(); ++i) {
        const QChar c = value.at(i);
        if (c != u'\\') {
            out += c;
            continue;
        }
        if (++i == value.size())
            break;
        switch (value.at(i).unicode()) {
        case ':': out += u';'; break;
        case 's': out += u' '; break;
        case 'r': out += u'\r'; break;
        case 'n': out += u'\n'; break;
        default: out += value.at(i); break;
        }
    }
    return out;
}

QString IrcMessage::escapeTagValue(QStringView value)
{
    QString out;
    out.reserve(value.size());
    for (const QChar c : value) {
        switch (c.unicode()) {
        case ';': out += u"\\:"_s; break;
        case ' ': out += u"\\s"_s; break;
        case '\\': out += u"\\\\"_s; break;
        case '\r': out += u"\\r"_s; break;
        case '\n': out += u"\\n"_s; break;
        default: out += c; break;
        }
    }
    return out;
}

} // namespace Pitwall
