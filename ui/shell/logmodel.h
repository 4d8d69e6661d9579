#pragma once

#include "core/log/logentry.h"

#include <QAbstractTableModel>
#include <QSet>

#include <deque>

namespace Pitwall {

class LogRing;

// The console's view of the engine's LogRing: the newest entries, oldest first, at most
// `maxRows` of them. poll() appends what the ring got since the last poll and drops the oldest
// rows beyond the bound, with row inserts and removes (never a reset), so views and proxies keep
// their state. The ring read is one short mutex-held copy, cheap enough for the GUI thread.
class LogModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogModel)

public:
    enum Column { TimeColumn, LevelColumn, ComponentColumn, MessageColumn, ColumnCount };
    enum Role {
        LevelRole = Qt::UserRole + 1, // int(LogLevel)
        ComponentRole,
        IdRole,
    };
    static constexpr int DefaultMaxRows = 10000;

    explicit LogModel(const LogRing &ring, int maxRows = DefaultMaxRows, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Reads the ring since the last entry seen. Entries the ring dropped before a poll are gone:
    // the ring is the bound on what the console can show.
    void poll();

signals:
    // The first entry of a component not seen before arrived (for the component filter).
    void componentAdded(const QString &component);

private:
    void append(QList<LogEntry> entries);
    static QString tooltip(const LogEntry &entry);

    const LogRing &m_ring;
    const int m_maxRows;
    std::deque<LogEntry> m_entries;
    quint64 m_lastId = 0;
    QSet<QString> m_components;
};

} // namespace Pitwall
