#include "vodtablemodel.h"

#include <QLocale>

#include <algorithm>

namespace Pitwall {

namespace {

QString stateLabel(VodState state)
{
    switch (state) {
    case VodState::Queued: return VodTableModel::tr("Queued");
    case VodState::Downloading: return VodTableModel::tr("Downloading");
    case VodState::Downloaded: return VodTableModel::tr("Downloaded");
    case VodState::Uploading: return VodTableModel::tr("Uploading");
    case VodState::Done: return VodTableModel::tr("Uploaded");
    case VodState::DoneNoUpload: return VodTableModel::tr("Done (no upload)");
    case VodState::FailedRetry: return VodTableModel::tr("Failed, will retry");
    case VodState::FailedTerminal: return VodTableModel::tr("Failed");
    case VodState::Canceled: return VodTableModel::tr("Canceled");
    case VodState::Throttled: return VodTableModel::tr("Throttled");
    }
    return {};
}

// The bytes and total of the stage a row is in, as far as the database knows them: the
// download's progress columns, or the confirmed upload offset of the file.
std::pair<qint64, qint64> storedProgress(const VodRecord &vod)
{
    if (vod.state == VodState::Uploading)
        return {vod.uploadOffset, vod.downloadTotal};
    return {vod.downloadBytes, vod.downloadTotal};
}

} // namespace

VodTableModel::VodTableModel(QObject *parent)
    : KeyedTableModel<VodRow>(parent)
{
    m_clock.start();
}

QVariant VodTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return KeyedTableModel<VodRow>::headerData(section, orientation, role);
    switch (section) {
    case Channel: return tr("Channel");
    case Vod: return tr("VOD");
    case Title: return tr("Title");
    case State: return tr("State");
    case Progress: return tr("Progress");
    case Eta: return tr("ETA");
    case Attempts: return tr("Attempts");
    case Priority: return tr("Priority");
    case Error: return tr("Error");
    default: return {};
    }
}

QVariant VodTableModel::cell(const VodRow &row, int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        return display(row, column);
    case Qt::ToolTipRole:
        if (column == Error || column == Title)
            return display(row, column);
        if (column == State && row.vod.skipUpload)
            return tr("Download only: the upload is skipped");
        return {};
    case Qt::TextAlignmentRole:
        if (column == Attempts || column == Priority || column == Eta)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case PercentRole:
        return percent(row);
    case VodIdRole:
        return row.vod.twitchVodId;
    default:
        return {};
    }
}

QList<int> VodTableModel::comparedRoles() const
{
    return {Qt::DisplayRole, Qt::ToolTipRole, PercentRole};
}

QVariant VodTableModel::display(const VodRow &row, int column) const
{
    const VodRecord &vod = row.vod;
    switch (column) {
    case Channel: return vod.channel;
    case Vod: return vod.twitchVodId;
    case Title: return vod.title;
    case State:
        return vod.skipUpload ? tr("%1, download only").arg(stateLabel(vod.state))
                              : stateLabel(vod.state);
    case Progress: return tr("%1 %").arg(percent(row));
    case Eta: return eta(row);
    case Attempts: return tr("%1 / %2").arg(vod.downloadAttempts).arg(vod.uploadAttempts);
    case Priority: return vod.priority;
    case Error: return vod.processingError;
    default: return {};
    }
}

int VodTableModel::percent(const VodRow &row) const
{
    if (isProcessed(row.vod.state))
        return 100;
    if (row.total <= 0)
        return row.vod.downloadComplete() && row.vod.state != VodState::Uploading ? 100 : 0;
    return int(std::clamp(row.bytes * 100 / row.total, qint64(0), qint64(100)));
}

QString VodTableModel::eta(const VodRow &row) const
{
    if (!isActive(row.vod.state) || row.stageStartedMs < 0 || row.total <= 0)
        return {};
    const qint64 elapsedMs = row.lastProgressMs - row.stageStartedMs;
    const qint64 done = row.bytes - row.stageStartBytes;
    if (elapsedMs < 1000 || done <= 0)
        return {};
    const qint64 seconds = (row.total - row.bytes) * elapsedMs / done / 1000;
    if (seconds >= 100 * 3600)
        return tr("> 99 h");
    return QStringLiteral("%1:%2:%3")
        .arg(seconds / 3600)
        .arg(seconds / 60 % 60, 2, 10, QLatin1Char('0'))
        .arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

void VodTableModel::setVods(const QList<VodRecord> &vods)
{
    for (const VodRecord &vod : vods)
        updateVod(vod);
    flush();
}

void VodTableModel::updateVod(const VodRecord &vod)
{
    const auto [bytes, total] = storedProgress(vod);
    const VodRow *known = current(vod.twitchVodId);
    if (!known) {
        stage(VodRow{vod, bytes, total});
        return;
    }
    VodRow row = *known;
    const bool newStage = row.vod.state != vod.state;
    row.vod = vod;
    // A queued update can be older than live progress already shown: keep the larger.
    if (newStage || bytes > row.bytes)
        row.bytes = bytes;
    if (total > 0)
        row.total = total;
    if (newStage)
        row.stageStartedMs = -1;
    stage(row);
}

void VodTableModel::updateProgress(const QString &channel, const QString &vodId, qint64 bytes,
                                   qint64 total)
{
    Q_UNUSED(channel)
    const VodRow *known = current(vodId);
    if (!known)
        return;
    VodRow row = *known;
    const qint64 now = m_clock.elapsed();
    if (row.stageStartedMs < 0 || bytes < row.stageStartBytes) {
        row.stageStartedMs = now;
        row.stageStartBytes = bytes;
    }
    row.lastProgressMs = now;
    if (total > 0)
        row.total = total;
    row.bytes = std::max(row.bytes, bytes);
    stage(row);
}

} // namespace Pitwall
