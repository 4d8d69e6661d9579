#pragma once

#include "vod/storedchatmessage.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace Pitwall {

// The bytes of a chat export, written piece by piece as pages of rows come:
//   json  one array of the objects GET /vods/{id}/chat answers with;
//   csv   RFC 4180 with a header row;
//   txt   "[h:mm:ss] name: message" lines, the offset into the VOD first.
class ChatExportWriter final
{
public:
    enum class Format { Json, Csv, Text };

    explicit ChatExportWriter(Format format) : m_format(format) { }

    // "json", "csv", "txt"; nullopt for anything else.
    static std::optional<Format> parseFormat(const QString &name);
    static QString extension(Format format);
    static QByteArray contentType(Format format);
    // The object a message is everywhere in the API.
    static QJsonObject toJson(const StoredChatMessage &row);

    QByteArray begin() const;
    QByteArray rows(const QList<StoredChatMessage> &rows);
    QByteArray end() const;

private:
    Format m_format;
    bool m_first = true;
};

} // namespace Pitwall
