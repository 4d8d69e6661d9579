#pragma once

#include "relay/protocol/parseerror.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <limits>
#include <optional>
#include <utility>

namespace Pitwall {

// Typed, strict reads of the fields of one JSON object of a relay message. The first broken
// rule is kept in the shared ParseError with the field's full path ("events[2].seq"); later
// reads then return empty values, so a parse function reads all its fields and checks ok() once.
class JsonReader final
{
public:
    JsonReader(QJsonObject object, QString path, ParseError *error);

    QString string(const QString &key);
    // Absent or null is "unset", as serde reads an Option.
    std::optional<QString> optionalString(const QString &key);
    bool boolean(const QString &key);
    // An integer literal (not 1.0, not 1e3) within [min, max].
    qint64 integer(const QString &key, qint64 min,
                   qint64 max = std::numeric_limits<qint64>::max());
    std::optional<qint64> optionalInteger(const QString &key, qint64 min, qint64 max);
    // Any JSON value including null, but present.
    QJsonValue value(const QString &key);
    // An array of integers 0..255 (raw_frame), at most `maxBytes` long.
    QByteArray bytes(const QString &key, qsizetype maxBytes);
    QStringList stringList(const QString &key);
    // The nested object `key`, read by its own reader (which shares this one's error).
    JsonReader object(const QString &key);

    // An array of objects, each read by `parseItem(JsonReader &)`. Absent is an error unless
    // `optional`, then it is empty.
    template<typename Item, typename Parse>
    QList<Item> list(const QString &key, Parse parseItem, bool optional = false)
    {
        QList<Item> items;
        const QJsonArray array = arrayField(key, optional);
        for (qsizetype i = 0; ok() && i < array.size(); ++i) {
            const QJsonValue item = array.at(i);
            const QString itemPath = indexPath(key, i);
            if (!item.isObject()) {
                fail(itemPath, QStringLiteral("expected an object"));
                break;
            }
            JsonReader reader(item.toObject(), itemPath, m_error);
            Item parsed = parseItem(reader);
            if (ok())
                items.append(std::move(parsed));
        }
        return items;
    }

    bool ok() const;
    bool contains(const QString &key) const;
    QString path(const QString &key) const;
    // Records the first failure: field path and reason.
    void fail(const QString &fieldPath, const QString &reason);

private:
    QJsonValue required(const QString &key);
    QJsonArray arrayField(const QString &key, bool optional);
    QString indexPath(const QString &key, qsizetype index) const;

    QJsonObject m_object;
    QString m_path;
    ParseError *m_error;
};

} // namespace Pitwall
