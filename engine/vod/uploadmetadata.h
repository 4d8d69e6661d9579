#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace Pitwall {

// The snippet and status of a YouTube video insert, built from a VOD (research §1.5, §10):
// YouTube refuses `<` and `>` (invalidTitle / invalidDescription), titles over 100 characters
// and descriptions over 5000 bytes, so the text is cleaned and bounded here, before the upload.
struct UploadMetadata
{
    static constexpr int maxTitleCharacters = 100;
    static constexpr int maxDescriptionBytes = 5000;

    // What the metadata is made of.
    struct Source
    {
        QString vodId;
        QString channel;            // empty: no attribution line
        QString title;              // the Twitch title, as Helix gave it
        QDateTime date;             // the stream's start
        QString url;                // the VOD's Twitch URL
        QString customDescription;  // the operator's text (vods.description), placed first
    };

    QString title;
    QString description;
    QString privacyStatus = QStringLiteral("private");

    static UploadMetadata fromVod(const Source &source);
    // "<YYYY-MM-DD> <cleaned title>", at most maxTitleCharacters code points (97 + "...").
    static QString videoTitle(const QDate &date, const QString &twitchTitle);
    // The custom text (trimmed), a blank line, then the attribution lines; `<`, `>` and control
    // characters other than line feed and tab removed; at most maxDescriptionBytes of UTF-8.
    static QString videoDescription(const Source &source);
    // The longest prefix of text whose UTF-8 has at most maxBytes, never splitting a character.
    static QString truncatedUtf8(const QString &text, qsizetype maxBytes);

    // The JSON body of the resumable initiation: {"snippet":{...},"status":{...}}.
    QByteArray toJson() const;
};

} // namespace Pitwall
