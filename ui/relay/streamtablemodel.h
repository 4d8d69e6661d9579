#pragma once

#include "common/keyedtablemodel.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QTimer>

namespace Pitwall {

// A stream as the console knows it: StreamInfo::toJson() and streamMetricsJson() in one object,
// the shape of the dashboard's events, so each event merges into it key by key. lagAt is when
// lag_ms was measured (the model's clock), so the lag shown keeps growing while no read arrives.
struct StreamRow
{
    QJsonObject json;
    qint64 lagAt = 0;
};

// The relay streams panel's table, live: the snapshot of RelayConsoleService::streamsLoaded,
// then every dashboard event (stream_created, stream_updated, metrics_updated) merged into its
// row's staged state; the rows changed are put together at the next flush (StageInterval), so
// a burst of events costs the views one change per row. The lag column ticks once a second.
class StreamTableModel final : public KeyedTableModel<StreamRow>
{
    Q_OBJECT

public:
    enum Column {
        Name, Forwarder, Reader, Online, ReaderConnected, Epoch, PendingEpoch, Events, Raw,
        Retransmits, Conflicts, Lag, ColumnCount
    };

    explicit StreamTableModel(QObject *parent = nullptr);

    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // The stream's newest object (a staged event included), empty when it is not known.
    QJsonObject stream(const QString &streamId) const;
    // Events that arrive before the first snapshot are applied after it: they carry values,
    // not differences, so replaying them in order leaves the newest state.
    void setStreams(const QList<QJsonObject> &streams);
    void applyEvent(const QJsonObject &event);

    // "Finish line", or the reader's address for a stream without an alias.
    static QString displayName(const QJsonObject &stream);
    // displayName() of a known stream, else the id itself.
    QString nameOf(const QString &streamId) const;

protected:
    int columns() const override { return ColumnCount; }
    QString key(const StreamRow &row) const override;
    QVariant cell(const StreamRow &row, int column, int role) const override;

private:
    QVariant display(const StreamRow &row, int column) const;

    QElapsedTimer m_clock;
    QTimer m_lagTick;
    QList<QJsonObject> m_early;
    bool m_loaded = false;
};

} // namespace Pitwall
