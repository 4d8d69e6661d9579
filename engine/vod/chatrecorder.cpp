#include "vod/chatrecorder.h"

#include "core/log/logcategories.h"
#include "vod/chatstore.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// While the database is down the buffer grows; past this many messages the oldest go, so a
// long outage costs chat rather than the process's memory.
constexpr qsizetype maxBuffered = 100000;

} // namespace

ChatRecorder::ChatRecorder(const ChatStore &store, const QString &channel,
                           std::chrono::milliseconds flushInterval, int batchSize,
                           QObject *parent)
    : QObject(parent), m_store(store), m_channel(channel.toLower()),
      m_batchSize(std::max(batchSize, 1))
{
    m_flushTimer.setInterval(flushInterval);
    connect(&m_flushTimer, &QTimer::timeout, this, &ChatRecorder::flush);
}

ChatRecorder::~ChatRecorder()
{
    stop();
}

void ChatRecorder::start(const QString &vodId, const QDateTime &vodStart)
{
    if (m_vodId == vodId && m_vodStart == vodStart)
        return;
    stop();
    m_vodId = vodId;
    m_vodStart = vodStart.toUTC();
    m_flushTimer.start();
    qCInfo(lcChat).noquote() << "recording" << (u"#"_s + m_channel) << "chat under" << vodId
                             << "from" << m_vodStart.toString(Qt::ISODate);
}

void ChatRecorder::stop()
{
    if (!isRecording())
        return;
    if (!flush() && !m_buffer.isEmpty()) {
        qCWarning(lcChat).noquote() << "stopping" << (u"#"_s + m_channel)
                                    << "chat recording with" << m_buffer.size()
                                    << "messages the database did not take";
    }
    m_buffer.clear();
    m_flushTimer.stop();
    qCInfo(lcChat).noquote() << "stopped recording" << (u"#"_s + m_channel) << "chat under"
                             << m_vodId;
    m_vodId.clear();
    m_vodStart = {};
}

void ChatRecorder::record(const ChatMessage &message)
{
    if (!isRecording() || message.channel != m_channel)
        return;
    const double rel = double(m_vodStart.msecsTo(message.sentAt)) / 1000.0;
    m_buffer.append({0, m_vodId, rel, message});
    if (m_buffer.size() > maxBuffered)
        m_buffer.removeFirst();
    if (m_buffer.size() >= m_batchSize)
        flush();
}

bool ChatRecorder::flush()
{
    if (m_buffer.isEmpty())
        return true;
    StoreError error;
    const std::optional<int> inserted = m_store.insert(m_buffer, &error);
    if (!inserted) {
        qCWarning(lcChat).noquote() << "writing" << m_buffer.size() << "chat messages of"
                                    << (u"#"_s + m_channel) << "failed:" << error.message;
        return false;
    }
    const QList<StoredChatMessage> rows = std::exchange(m_buffer, {});
    emit recorded(m_channel, *inserted);
    emit flushed(rows);
    return true;
}

} // namespace Pitwall
