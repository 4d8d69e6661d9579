#pragma once

#include "common/keyedtablemodel.h"
#include "vod/vodrecord.h"

#include <QElapsedTimer>

namespace Pitwall {

// A VOD as the queue panel shows it: the record and the progress of its current stage.
struct VodRow
{
    VodRecord vod;
    qint64 bytes = 0;
    qint64 total = 0;
    qint64 stageStartedMs = -1; // first progress of the current stage
    qint64 stageStartBytes = 0;
    qint64 lastProgressMs = 0;
};

// The VOD queue as the console shows it: one row per VOD, updated in place from the engine's
// vodChanged() and progress() signals, staged and put at most once per StageInterval
// (dataChanged over the changed cells, rows inserted as VODs appear; never a reset). Progress
// shown never goes backwards within a stage, and the ETA comes from the rate seen since the
// stage began.
class VodTableModel final : public KeyedTableModel<VodRow>
{
    Q_OBJECT

public:
    enum Column { Channel, Vod, Title, State, Progress, Eta, Attempts, Priority, Error, ColumnCount };
    // Progress column: the percent (0-100) as an int, for the progress bar delegate.
    static constexpr int PercentRole = Qt::UserRole + 1;
    // Any column: the row's Twitch VOD id.
    static constexpr int VodIdRole = Qt::UserRole + 2;

    explicit VodTableModel(QObject *parent = nullptr);

    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // The row of this VOD, or -1.
    int rowOf(const QString &twitchVodId) const { return find(twitchVodId); }
    const VodRecord &vod(int row) const { return at(row).vod; }

public slots:
    // The first load (and reloads): rows are merged, not reset, and shown at once.
    void setVods(const QList<Pitwall::VodRecord> &vods);
    void updateVod(const Pitwall::VodRecord &vod);
    void updateProgress(const QString &channel, const QString &vodId, qint64 bytes, qint64 total);

protected:
    int columns() const override { return ColumnCount; }
    QString key(const VodRow &row) const override { return row.vod.twitchVodId; }
    QVariant cell(const VodRow &row, int column, int role) const override;
    QList<int> comparedRoles() const override;

private:
    int percent(const VodRow &row) const;
    QString eta(const VodRow &row) const;
    QVariant display(const VodRow &row, int column) const;

    QElapsedTimer m_clock;
};

} // namespace Pitwall
