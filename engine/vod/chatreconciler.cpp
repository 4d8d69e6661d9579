#include "vod/chatreconciler.h"

#include "core/log/logcategories.h"
#include "vod/chatsettings.h"
#include "vod/helixclient.h"
#include "vod/livesessionstore.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// The archives Helix is asked for: a broadcast that just ended is among the newest.
constexpr int archivesAsked = 20;

} // namespace

ChatReconciler::ChatReconciler(HelixClient &helix, const LiveSessionStore &sessions,
                               const ChatSettings &settings, LiveSession session,
                               QDateTime offlineAt, QObject *parent)
    : QObject(parent), m_helix(helix), m_sessions(sessions), m_delay(settings.reconcileDelay),
      m_window(settings.reconcileWindow), m_retry(settings.reconcileRetry),
      m_tolerance(settings.reconcileTolerance), m_session(std::move(session)),
      m_offlineAt(offlineAt.toUTC())
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ChatReconciler::attempt);
}

void ChatReconciler::start()
{
    qCInfo(lcChat).noquote() << "reconciling" << m_session.placeholderId << "of"
                             << (u"#"_s + m_session.channel) << "in" << m_delay.count() << "ms";
    m_timer.start(m_delay);
}

std::optional<HelixVideo> ChatReconciler::pickArchive(const QList<HelixVideo> &videos,
                                                      const QDateTime &startedAt,
                                                      std::chrono::milliseconds tolerance)
{
    std::optional<HelixVideo> picked;
    for (const HelixVideo &video : videos) {
        if (qAbs(startedAt.msecsTo(video.createdAt)) > tolerance.count())
            continue;
        // An archive cannot begin before its broadcast; an earlier one is a neighbour's.
        if (video.createdAt >= startedAt)
            return video;
        if (!picked)
            picked = video;
    }
    return picked;
}

void ChatReconciler::attempt()
{
    ++m_attempts;
    if (!m_userId.isEmpty()) {
        fetchVideos();
        return;
    }
    m_helix.userId(m_session.channel, this, [this](const HelixResult<QString> &result) {
        if (!result.ok()) {
            retry(result.error);
            return;
        }
        m_userId = *result.value;
        fetchVideos();
    });
}

void ChatReconciler::fetchVideos()
{
    m_helix.videos(m_userId, archivesAsked, {}, this,
                   [this](const HelixResult<HelixVideoPage> &result) {
        if (result.ok())
            onVideos(result.value->videos);
        else
            retry(result.error);
    });
}

void ChatReconciler::onVideos(const QList<HelixVideo> &videos)
{
    const std::optional<HelixVideo> archive =
            pickArchive(videos, m_session.startedAt, m_tolerance);
    if (!archive) {
        retry(u"no archive created within %1 s of %2"_s.arg(m_tolerance.count() / 1000)
                      .arg(m_session.startedAt.toString(Qt::ISODate)));
        return;
    }
    StoreError error;
    const std::optional<int> moved = m_sessions.reconcile(
            m_session,
            {archive->id, archive->title, archive->createdAt, int(archive->durationSeconds)},
            &error);
    if (!moved) {
        retry(error.message);
        return;
    }
    qCInfo(lcChat).noquote() << "reconciled" << m_session.placeholderId << "of"
                             << (u"#"_s + m_session.channel) << "with VOD" << archive->id << ":"
                             << *moved << "chat messages moved";
    emit finished(m_session, archive->id);
}

void ChatReconciler::retry(const QString &reason)
{
    const QDateTime next = QDateTime::currentDateTimeUtc().addMSecs(m_retry.count());
    if (m_offlineAt.msecsTo(next) > m_window.count()) {
        qCWarning(lcChat).noquote() << "giving up reconciling" << m_session.placeholderId << "of"
                                    << (u"#"_s + m_session.channel) << "after" << m_attempts
                                    << "attempts:" << reason;
        emit finished(m_session, {});
        return;
    }
    qCInfo(lcChat).noquote() << "reconciling" << m_session.placeholderId << "attempt"
                             << m_attempts << "failed:" << reason << "- retrying in"
                             << m_retry.count() << "ms";
    m_timer.start(m_retry);
}

} // namespace Pitwall
