#include "vod/channelretention.h"

#include "core/log/logcategories.h"
#include "vod/retentionsweeper.h"
#include "vod/vodcontext.h"
#include "vod/ytdlpcommand.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

ChannelRetention::ChannelRetention(VodContext &context, const QString &channel, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_channel(channel)
{
    connect(&m_timer, &QTimer::timeout, this, &ChannelRetention::sweep);
    reconfigure();
}

ChannelRetention::~ChannelRetention() = default;

bool ChannelRetention::configured() const
{
    const QueueSettings &queue = m_context.config.queue;
    return queue.retentionKeepDays > 0 || queue.retentionKeepCount > 0;
}

void ChannelRetention::reconfigure()
{
    const QueueSettings &queue = m_context.config.queue;
    m_sweeper = std::make_unique<RetentionSweeper>(
            m_context.database, m_channel,
            RetentionPolicy{queue.retentionKeepDays, queue.retentionKeepCount,
                            queue.retentionDryRun, queue.dataCleanupMaxAge});
    m_timer.setInterval(queue.retentionInterval);
    if (!m_started)
        return;
    if (!configured())
        m_timer.stop();
    else if (!m_timer.isActive())
        m_timer.start();
}

void ChannelRetention::start()
{
    m_started = true;
    if (!configured())
        return;
    m_timer.start();
    sweep();
}

void ChannelRetention::stop()
{
    m_started = false;
    m_timer.stop();
}

void ChannelRetention::cleanTempFiles()
{
    if (m_context.config.queue.dataCleanupMaxAge.count() <= 0)
        return;
    StoreError error;
    const QString directory = YtDlpCommand::channelDirectory(m_context.config.download.dataDir,
                                                             m_channel);
    const auto report =
            m_sweeper->cleanTempFiles(directory, QDateTime::currentDateTimeUtc(), &error);
    if (!report)
        qCWarning(lcVod).noquote() << "channel" << m_channel << "temp cleanup:" << error.message;
    else if (report->removed > 0)
        qCInfo(lcVod).noquote() << u"channel %1: removed %2 stale temporary files (%3 bytes)"_s
                                       .arg(m_channel).arg(report->removed).arg(report->bytesFreed);
}

void ChannelRetention::sweep()
{
    StoreError error;
    const auto report = m_sweeper->sweep(QDateTime::currentDateTimeUtc(), &error);
    if (!report) {
        qCWarning(lcVod).noquote() << "channel" << m_channel << "retention:" << error.message;
        return;
    }
    qCInfo(lcVod).noquote() << u"channel %1 retention: cleaned %2, missing %3, errors %4, "
                               "%5 bytes freed%6"_s.arg(m_channel).arg(report->cleaned)
                                   .arg(report->missing).arg(report->errors).arg(report->bytesFreed)
                                   .arg(m_context.config.queue.retentionDryRun ? u" (dry run)"_s
                                                                               : QString());
}

} // namespace Pitwall
