#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QVariant>

namespace Pitwall {

// Columns a state change writes along with the new state, e.g.
//     VodChanges().downloadedPath(path).downloadState(u"complete"_s).downloadProgress(n, n)
// Empty text and null timestamps are written as NULL. Setting a column twice keeps the last.
class VodChanges final
{
public:
    struct Assignment
    {
        QString column;
        QVariant value;
    };

    VodChanges &processingError(const QString &text);
    VodChanges &nextAttemptAt(const QDateTime &at);
    VodChanges &downloadState(const QString &state);
    VodChanges &downloadProgress(qint64 bytes, qint64 total);
    VodChanges &downloadedPath(const QString &path);
    VodChanges &uploadSession(const QString &uri, qint64 offset);
    VodChanges &youtubeUrl(const QString &url);
    VodChanges &uploadedAt(const QDateTime &at);

    const QList<Assignment> &assignments() const { return m_assignments; }

private:
    VodChanges &set(const QString &column, const QVariant &value);

    QList<Assignment> m_assignments;
};

} // namespace Pitwall
