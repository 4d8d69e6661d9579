#include "vod/uploadmetadata.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

bool isAngleBracket(char32_t c)
{
    return c == U'<' || c == U'>';
}

bool isControl(char32_t c)
{
    return QChar::category(c) == QChar::Other_Control;
}

// Text as code points, so that cuts never split a surrogate pair.
QList<char32_t> codePoints(const QString &text)
{
    const QList<uint> points = text.toUcs4(); // Qt 6.4 still returns uint
    return {points.cbegin(), points.cend()};
}

QString fromCodePoints(const QList<char32_t> &points)
{
    return QString::fromUcs4(points.constData(), points.size());
}

// Whitespace (tabs and line breaks included) collapsed to single spaces, other control
// characters and angle brackets dropped, trimmed.
QString cleanTitle(const QString &title)
{
    QList<char32_t> out;
    bool pendingSpace = false;
    for (const char32_t c : codePoints(title)) {
        if (QChar::isSpace(c)) {
            pendingSpace = !out.isEmpty();
            continue;
        }
        if (isControl(c) || isAngleBracket(c))
            continue;
        if (pendingSpace)
            out.append(U' ');
        pendingSpace = false;
        out.append(c);
    }
    return fromCodePoints(out);
}

QString cleanDescription(const QString &text)
{
    QList<char32_t> out;
    for (const char32_t c : codePoints(text)) {
        if (isAngleBracket(c) || (isControl(c) && c != U'\n' && c != U'\t'))
            continue;
        out.append(c);
    }
    return fromCodePoints(out);
}

} // namespace

UploadMetadata UploadMetadata::fromVod(const Source &source)
{
    UploadMetadata metadata;
    metadata.title = videoTitle(source.date.toUTC().date(), source.title);
    metadata.description = videoDescription(source);
    return metadata;
}

QString UploadMetadata::videoTitle(const QDate &date, const QString &twitchTitle)
{
    QString cleaned = cleanTitle(twitchTitle);
    if (cleaned.isEmpty())
        cleaned = u"Twitch VOD"_s;
    const QList<char32_t> whole = codePoints(date.toString(Qt::ISODate) + u' ' + cleaned);
    if (whole.size() <= maxTitleCharacters)
        return fromCodePoints(whole);
    const QString ellipsis = u"..."_s;
    return fromCodePoints(whole.first(maxTitleCharacters - ellipsis.size())) + ellipsis;
}

QString UploadMetadata::videoDescription(const Source &source)
{
    QStringList lines{u"Original stream date: "_s + source.date.toUTC().toString(Qt::ISODate)};
    if (!source.channel.isEmpty())
        lines << u"Attribution: Original Twitch channel \"%1\""_s.arg(source.channel);
    lines << u"Original Twitch VOD ID: "_s + source.vodId
          << u"Original Twitch URL: "_s + source.url;
    const QString footer = cleanDescription(lines.join(u'\n'));
    const QString custom = cleanDescription(source.customDescription).trimmed();
    if (custom.isEmpty())
        return truncatedUtf8(footer, maxDescriptionBytes);
    // The attribution lines are what the upload owes the channel: the custom text gives way.
    const QString separator = u"\n\n"_s;
    const qsizetype room = maxDescriptionBytes - footer.toUtf8().size() - separator.size();
    const QString kept = truncatedUtf8(custom, std::max<qsizetype>(room, 0)).trimmed();
    if (kept.isEmpty())
        return truncatedUtf8(footer, maxDescriptionBytes);
    return kept + separator + footer;
}

QString UploadMetadata::truncatedUtf8(const QString &text, qsizetype maxBytes)
{
    QList<char32_t> kept;
    qsizetype bytes = 0;
    for (const char32_t c : codePoints(text)) {
        const qsizetype size = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
        if (bytes + size > maxBytes)
            break;
        bytes += size;
        kept.append(c);
    }
    return fromCodePoints(kept);
}

QByteArray UploadMetadata::toJson() const
{
    const QJsonObject body{
            {u"snippet"_s, QJsonObject{{u"title"_s, title}, {u"description"_s, description}}},
            {u"status"_s, QJsonObject{{u"privacyStatus"_s, privacyStatus}}}};
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

} // namespace Pitwall
