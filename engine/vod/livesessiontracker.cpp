#include "vod/livesessiontracker.h"

#include "core/log/logcategories.h"
#include "vod/chatreconciler.h"
#include "vod/chatrecorder.h"
#include "vod/chatsettings.h"
#include "vod/helixclient.h"
#include "vod/livesessionstore.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

LiveSessionTracker::LiveSessionTracker(HelixClient &helix, const LiveSessionStore &sessions,
                                       ChatRecorder &recorder, const ChatSettings &settings,
                                       QObject *parent)
    : QObject(parent), m_helix(helix), m_sessions(sessions), m_recorder(recorder),
      m_settings(settings)
{
    m_pollTimer.setInterval(m_settings.autoPollInterval);
    connect(&m_pollTimer, &QTimer::timeout, this, &LiveSessionTracker::poll);
}

LiveSessionTracker::~LiveSessionTracker()
{
    blockSignals(true);
    stop();
}

void LiveSessionTracker::start()
{
    m_pollTimer.start();
    poll();
}

void LiveSessionTracker::stop()
{
    m_pollTimer.stop();
    m_helix.cancel(this);
    m_polling = false;
    m_recovered = false;
    qDeleteAll(m_reconcilers);
    m_reconcilers.clear();
    if (m_session) {
        m_recorder.stop();
        emit recordingStopped(*std::exchange(m_session, std::nullopt));
    }
}

void LiveSessionTracker::poll()
{
    if (m_polling)
        return;
    m_polling = true;
    m_helix.streams(m_recorder.channel(), this,
                    [this](const HelixResult<QList<HelixStream>> &result) {
        m_polling = false;
        onStreams(result);
    });
}

void LiveSessionTracker::onStreams(const HelixResult<QList<HelixStream>> &result)
{
    if (!result.ok()) {
        qCWarning(lcChat).noquote() << "live status of" << (u"#"_s + m_recorder.channel())
                                    << "unknown:" << result.error;
        return;
    }
    const QString live = result.value->isEmpty()
            ? QString()
            : LiveSession::placeholderFor(result.value->constFirst().startedAt);
    if (!m_recovered)
        recoverUnreconciled(live);
    if (live.isEmpty()) {
        if (m_session)
            end();
        return;
    }
    const HelixStream &stream = result.value->constFirst();
    // A new broadcast without an offline poll in between ends the old session first.
    if (m_session && m_session->placeholderId != live)
        end();
    if (!m_session)
        begin(stream);
}

void LiveSessionTracker::begin(const HelixStream &stream)
{
    StoreError error;
    std::optional<LiveSession> session =
            m_sessions.begin(m_recorder.channel(), stream.startedAt, stream.title, &error);
    if (!session) {
        qCWarning(lcChat).noquote() << "cannot open the live session of"
                                    << (u"#"_s + m_recorder.channel()) << "(next poll retries):"
                                    << error.message;
        return;
    }
    m_session = session;
    m_recorder.start(session->placeholderId, session->startedAt);
    emit recordingStarted(*session);
}

void LiveSessionTracker::end()
{
    const LiveSession session = *std::exchange(m_session, std::nullopt);
    m_recorder.stop();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    StoreError error;
    if (!m_sessions.end(session, now, &error)) {
        qCWarning(lcChat).noquote() << "cannot mark" << session.placeholderId << "ended:"
                                    << error.message;
    }
    emit recordingStopped(session);
    reconcile(session, now);
}

void LiveSessionTracker::recoverUnreconciled(const QString &livePlaceholder)
{
    StoreError error;
    const std::optional<QList<LiveSession>> left =
            m_sessions.unreconciled(m_recorder.channel(), &error);
    if (!left) {
        qCWarning(lcChat).noquote() << "cannot read unreconciled live sessions:" << error.message;
        return;
    }
    m_recovered = true;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const LiveSession &session : *left) {
        // The broadcast still on air goes on being recorded under its session.
        if (session.placeholderId == livePlaceholder)
            continue;
        if (!session.endedAt.isValid())
            m_sessions.end(session, now, &error);
        // A session that ended long ago is given a full window from now.
        reconcile(session, now);
    }
}

void LiveSessionTracker::reconcile(const LiveSession &session, const QDateTime &offlineAt)
{
    if (m_reconcilers.contains(session.id))
        return;
    auto *reconciler =
            new ChatReconciler(m_helix, m_sessions, m_settings, session, offlineAt, this);
    m_reconcilers.insert(session.id, reconciler);
    connect(reconciler, &ChatReconciler::finished, this,
            [this, reconciler](const LiveSession &done, const QString &vodId) {
        m_reconcilers.remove(done.id);
        reconciler->deleteLater();
        emit reconciliationFinished(done, vodId);
    });
    reconciler->start();
}

} // namespace Pitwall
