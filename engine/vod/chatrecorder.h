#pragma once

#include "vod/storedchatmessage.h"

#include <QList>
#include <QObject>
#include <QTimer>

#include <chrono>

namespace Pitwall {

class ChatStore;

// Records one channel's chat under one VOD id at a time: buffers each message with its offset
// from the VOD's start (sent time - start, in seconds) and writes the buffer in one transaction
// every flush interval, or at once when batchSize messages wait. A failed write keeps the
// buffer for the next try; stop() writes what is left. Lives on the engine's thread.
class ChatRecorder final : public QObject
{
    Q_OBJECT

public:
    ChatRecorder(const ChatStore &store, const QString &channel,
                 std::chrono::milliseconds flushInterval, int batchSize,
                 QObject *parent = nullptr);
    ~ChatRecorder() override;
    Q_DISABLE_COPY_MOVE(ChatRecorder)

    // Starts recording under vodId (stopping a recording under another id first).
    void start(const QString &vodId, const QDateTime &vodStart);
    // Writes what is buffered and stops recording.
    void stop();
    bool isRecording() const { return !m_vodId.isEmpty(); }
    QString channel() const { return m_channel; }
    QString vodId() const { return m_vodId; }
    QDateTime vodStart() const { return m_vodStart; }
    qsizetype pending() const { return m_buffer.size(); }

    // A message of this channel while recording; anything else is ignored.
    void record(const Pitwall::ChatMessage &message);
    // Writes the buffer now; false when the database refused (the buffer is kept).
    bool flush();

signals:
    // Rows newly stored by one write (duplicates of stored message ids not counted).
    void recorded(const QString &channel, int count);
    // The rows of one successful write, for live views.
    void flushed(const QList<Pitwall::StoredChatMessage> &rows);

private:
    const ChatStore &m_store;
    const QString m_channel;
    const int m_batchSize;
    QString m_vodId;
    QDateTime m_vodStart;
    QList<StoredChatMessage> m_buffer;
    QTimer m_flushTimer;
};

} // namespace Pitwall
