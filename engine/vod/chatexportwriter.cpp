#include "vod/chatexportwriter.h"

#include "vod/nullablejson.h"

#include <QJsonDocument>

#include <cmath>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

const QStringList csvColumns{u"rel_timestamp"_s,    u"abs_timestamp"_s, u"username"_s,
                             u"display_name"_s,     u"message"_s,       u"badges"_s,
                             u"emotes"_s,           u"color"_s,         u"message_id"_s,
                             u"reply_to_id"_s,      u"reply_to_username"_s,
                             u"reply_to_message"_s};

// Quoted when it has to be. A leading = + - @ would make spreadsheets run viewers' text as a
// formula, so such a value gets a ' in front (OWASP's advice for CSV injection).
QString csvField(QString value)
{
    if (!value.isEmpty() && QStringView(u"=+-@").contains(value.front()))
        value.prepend(u'\'');
    if (value.contains(u',') || value.contains(u'"') || value.contains(u'\n')
        || value.contains(u'\r')) {
        value.replace(u"\""_s, u"\"\""_s);
        return u'"' + value + u'"';
    }
    return value;
}

QString offset(double seconds)
{
    const qint64 total = qint64(std::floor(std::max(seconds, 0.0)));
    return u"%1:%2:%3"_s.arg(total / 3600)
            .arg((total / 60) % 60, 2, 10, QChar(u'0'))
            .arg(total % 60, 2, 10, QChar(u'0'));
}

// The reference API's chat rows always hold a string.
QJsonValue timestamp(const QDateTime &time)
{
    return NullableJson::timestamp(time, NullableJson::Absent::EmptyString);
}

} // namespace

std::optional<ChatExportWriter::Format> ChatExportWriter::parseFormat(const QString &name)
{
    for (const Format format : {Format::Json, Format::Csv, Format::Text}) {
        if (name == extension(format))
            return format;
    }
    return std::nullopt;
}

QString ChatExportWriter::extension(Format format)
{
    switch (format) {
    case Format::Json: return u"json"_s;
    case Format::Csv: return u"csv"_s;
    case Format::Text: return u"txt"_s;
    }
    return {};
}

QByteArray ChatExportWriter::contentType(Format format)
{
    switch (format) {
    case Format::Json: return "application/json";
    case Format::Csv: return "text/csv; charset=utf-8";
    case Format::Text: return "text/plain; charset=utf-8";
    }
    return {};
}

QJsonObject ChatExportWriter::toJson(const StoredChatMessage &row)
{
    const ChatMessage &m = row.message;
    return {{u"id"_s, row.id},
            {u"vod_id"_s, row.vodId},
            {u"channel"_s, m.channel},
            {u"message_id"_s, m.messageId},
            {u"user_id"_s, m.userId},
            {u"username"_s, m.username},
            {u"display_name"_s, m.displayName},
            {u"message"_s, m.text},
            {u"abs_timestamp"_s, timestamp(m.sentAt)},
            {u"rel_timestamp"_s, row.relTimestamp},
            {u"badges"_s, m.badges.join(u',')},
            {u"emotes"_s, m.emotes.join(u',')},
            {u"color"_s, m.color},
            {u"reply_to_id"_s, m.replyToId},
            {u"reply_to_username"_s, m.replyToUsername},
            {u"reply_to_message"_s, m.replyToMessage}};
}

QByteArray ChatExportWriter::begin() const
{
    switch (m_format) {
    case Format::Json: return "[";
    case Format::Csv: return csvColumns.join(u',').toUtf8() + "\r\n";
    case Format::Text: return {};
    }
    return {};
}

QByteArray ChatExportWriter::rows(const QList<StoredChatMessage> &rows)
{
    QByteArray out;
    for (const StoredChatMessage &row : rows) {
        const ChatMessage &m = row.message;
        switch (m_format) {
        case Format::Json:
            if (!m_first)
                out += ',';
            out += QJsonDocument(toJson(row)).toJson(QJsonDocument::Compact);
            break;
        case Format::Csv: {
            const QStringList fields{QString::number(row.relTimestamp, 'f', 3),
                                     timestamp(m.sentAt).toString(), m.username,
                                     m.displayName, m.text, m.badges.join(u','),
                                     m.emotes.join(u','), m.color, m.messageId, m.replyToId,
                                     m.replyToUsername, m.replyToMessage};
            QStringList quoted;
            for (const QString &field : fields)
                quoted.append(csvField(field));
            out += quoted.join(u',').toUtf8() + "\r\n";
            break;
        }
        case Format::Text: {
            // One line per message, whatever the message holds.
            QString text = m.text;
            text.replace(u'\r', u' ').replace(u'\n', u' ');
            const QString name = m.displayName.isEmpty() ? m.username : m.displayName;
            out += u"[%1] %2: %3\n"_s.arg(offset(row.relTimestamp), name, text).toUtf8();
            break;
        }
        }
        m_first = false;
    }
    return out;
}

QByteArray ChatExportWriter::end() const
{
    return m_format == Format::Json ? "]" : QByteArray();
}

} // namespace Pitwall
