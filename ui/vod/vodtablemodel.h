#pragma once

#include "vod/vodrecord.h"

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QHash>
#include <QList>

namespace Pitwall {

// The VOD queue as the console shows it: one row per VOD, updated in place from the engine's
// vodChanged() and progress() signals (dataChanged over the changed row, rows inserted as VODs
// appear; never a reset after the first load). Progress shown never goes backwards within a
// stage, and the ETA comes from the rate seen since the stage began.
class VodTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Channel, Vod, Title, State, Progress, Eta, Attempts, Priority, Error, ColumnCount };
    // Progress column: the percent (0-100) as an int, for the progress bar delegate.
    static constexpr int PercentRole = Qt::UserRole + 1;
    // Any column: the row's Twitch VOD id.
    static constexpr int VodIdRole = Qt::UserRole + 2;

    explicit VodTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // The row of this VOD, or -1.
    int rowOf(const QString &twitchVodId) const;
    const VodRecord &vod(int row) const { return m_rows.at(row).vod; }

public slots:
    // The first load (and reloads): rows are merged, not reset.
    void setVods(const QList<Pitwall::VodRecord> &vods);
    void updateVod(const Pitwall::VodRecord &vod);
    void updateProgress(const QString &channel, const QString &vodId, qint64 bytes, qint64 total);

private:
    struct Row
    {
        VodRecord vod;
        qint64 bytes = 0;
        qint64 total = 0;
        qint64 stageStartedMs = -1; // first progress of the current stage
        qint64 stageStartBytes = 0;
        qint64 lastProgressMs = 0;
    };

    int percent(const Row &row) const;
    QString eta(const Row &row) const;
    QVariant display(const Row &row, int column) const;
    void emitRowChanged(int row, int firstColumn = 0, int lastColumn = ColumnCount - 1);

    QList<Row> m_rows;
    QHash<QString, int> m_index; // twitch VOD id -> row
    QElapsedTimer m_clock;
};

} // namespace Pitwall
