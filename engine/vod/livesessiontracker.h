#pragma once

#include "vod/helixresult.h"
#include "vod/helixstream.h"
#include "vod/livesession.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <optional>

namespace Pitwall {

class ChatReconciler;
class ChatRecorder;
class HelixClient;
class LiveSessionStore;
struct ChatSettings;

// Auto mode (CHAT_AUTO_START=1) for one channel: polls Helix's live status every poll interval
// (one poll at a time). When the channel is live and not recorded, it opens the broadcast's
// live session (placeholder "live-<started_at unix>") and starts the recorder under it; when it
// goes offline, it stops the recorder and schedules one ChatReconciler for that session. A
// session is reconciled once however many polls see the channel offline, and a new broadcast
// is recorded while an earlier one's reconciliation still runs. Its first poll also reconciles
// the sessions a previous run left unreconciled. A failed poll changes nothing. The Helix
// client must outlive it.
class LiveSessionTracker final : public QObject
{
    Q_OBJECT

public:
    LiveSessionTracker(HelixClient &helix, const LiveSessionStore &sessions,
                       ChatRecorder &recorder, const ChatSettings &settings,
                       QObject *parent = nullptr);
    ~LiveSessionTracker() override;
    Q_DISABLE_COPY_MOVE(LiveSessionTracker)

    // Polls now and then every poll interval.
    void start();
    // Stops polling and recording; reconciliations in progress are dropped (the next start
    // picks their sessions up again).
    void stop();
    // The session being recorded.
    std::optional<LiveSession> session() const { return m_session; }
    int reconciliationsRunning() const { return int(m_reconcilers.size()); }

signals:
    void recordingStarted(const Pitwall::LiveSession &session);
    void recordingStopped(const Pitwall::LiveSession &session);
    // vodId is empty when the reconciliation gave up.
    void reconciliationFinished(const Pitwall::LiveSession &session, const QString &vodId);

private:
    void poll();
    void onStreams(const HelixResult<QList<HelixStream>> &result);
    void begin(const HelixStream &stream);
    void end();
    // Reconciles what a previous run left, except the broadcast on air now.
    void recoverUnreconciled(const QString &livePlaceholder);
    void reconcile(const LiveSession &session, const QDateTime &offlineAt);

    HelixClient &m_helix;
    const LiveSessionStore &m_sessions;
    ChatRecorder &m_recorder;
    const ChatSettings &m_settings;
    QTimer m_pollTimer;
    std::optional<LiveSession> m_session;
    QHash<qint64, ChatReconciler *> m_reconcilers; // by session id
    bool m_polling = false;
    bool m_recovered = false;
};

} // namespace Pitwall
