#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <optional>

namespace Pitwall {

// Typed, checked reads of one JSON object of the watch state file. The first broken rule is
// kept with its dotted key path ("processes.123.pid: must be an integer"), so a quarantined
// file is reported with the exact reason. An absent or null key is not an error: the caller
// gets the empty value and decides whether the key is required.
class JsonFields final
{
public:
    JsonFields(QJsonObject object, QString context);

    bool contains(const QString &key) const;
    std::optional<qint64> integer(const QString &key, qint64 min, qint64 max);
    std::optional<double> number(const QString &key, double min);
    QString string(const QString &key);
    QDateTime dateTime(const QString &key);
    QStringList stringList(const QString &key);
    QJsonObject object(const QString &key);
    void require(const QString &key);
    // Records a broken rule of `key`, or a nested reader's complete error, unless an earlier
    // error is already kept.
    void fail(const QString &key, const QString &rule);
    void addError(const QString &message);

    bool ok() const { return m_error.isEmpty(); }
    const QString &error() const { return m_error; }
    QString path(const QString &key) const;

private:
    QJsonValue present(const QString &key) const;

    QJsonObject m_object;
    QString m_context;
    QString m_error;
};

// RFC 3339 in UTC with milliseconds ("2026-01-07T10:30:00.000Z"), or null when unset.
QJsonValue dateTimeToJson(const QDateTime &dateTime);

} // namespace Pitwall
