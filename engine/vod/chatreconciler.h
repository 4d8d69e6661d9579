#pragma once

#include "vod/helixvideo.h"
#include "vod/livesession.h"

#include <QList>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <optional>

namespace Pitwall {

class HelixClient;
class LiveSessionStore;
struct ChatSettings;

// Moves one ended live session's chat to its archived VOD (research §1.7, once per session):
// waits the reconcile delay, then asks Helix for the channel's 20 newest archives and takes the
// one created near the session's start (pickArchive), retrying every reconcileRetry while less
// than reconcileWindow has passed since the stream went offline. LiveSessionStore::reconcile
// does the move in one transaction. Emits finished exactly once.
class ChatReconciler final : public QObject
{
    Q_OBJECT

public:
    ChatReconciler(HelixClient &helix, const LiveSessionStore &sessions,
                   const ChatSettings &settings, LiveSession session, QDateTime offlineAt,
                   QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ChatReconciler)

    void start();
    const LiveSession &session() const { return m_session; }
    int attempts() const { return m_attempts; }

    // The archive of a broadcast that started at startedAt: among the videos created within
    // tolerance of it, the first (newest) one not created before it, else the first one.
    static std::optional<HelixVideo> pickArchive(const QList<HelixVideo> &videos,
                                                 const QDateTime &startedAt,
                                                 std::chrono::milliseconds tolerance);

signals:
    // vodId is the archive the chat moved to, or empty when reconciliation gave up.
    void finished(const Pitwall::LiveSession &session, const QString &vodId);

private:
    void attempt();
    void fetchVideos();
    void onVideos(const QList<HelixVideo> &videos);
    void retry(const QString &reason);

    HelixClient &m_helix;
    const LiveSessionStore &m_sessions;
    const std::chrono::milliseconds m_delay;
    const std::chrono::milliseconds m_window;
    const std::chrono::milliseconds m_retry;
    const std::chrono::milliseconds m_tolerance;
    const LiveSession m_session;
    const QDateTime m_offlineAt;
    QString m_userId;
    QTimer m_timer;
    int m_attempts = 0;
};

} // namespace Pitwall
