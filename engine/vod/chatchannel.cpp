#include "vod/chatchannel.h"

#include "core/log/logcategories.h"
#include "vod/chatmessage.h"
#include "vod/livesessiontracker.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

ChatChannel::ChatChannel(const Database &database, const ChatSettings &settings,
                         const QString &channel, HelixClient *helix, QObject *parent)
    : QObject(parent), m_settings(settings), m_helix(helix), m_store(database),
      m_sessions(database),
      m_recorder(m_store, channel, settings.flushInterval, settings.flushBatchSize),
      m_irc(IrcConnection::optionsFor(settings, channel.toLower()))
{
    connect(&m_irc, &IrcConnection::messageReceived, this, &ChatChannel::onIrcMessage);
    connect(&m_irc, &IrcConnection::reconnected, this,
            [this](int total) { emit reconnected(this->channel(), total); });
    connect(&m_recorder, &ChatRecorder::recorded, this, &ChatChannel::messagesRecorded);
    connect(&m_recorder, &ChatRecorder::flushed, this, &ChatChannel::messagesStored);
}

ChatChannel::~ChatChannel()
{
    stop();
}

bool ChatChannel::start()
{
    const QString name = u"#"_s + channel();
    if (!m_settings.hasCredentials()) {
        qCWarning(lcChat).noquote() << "chat recorder disabled for" << name
                                    << ": TWITCH_BOT_USERNAME and TWITCH_OAUTH_TOKEN are needed";
        return false;
    }
    if (!m_settings.autoStart) {
        const QDateTime start = m_settings.manualVodStart.isValid()
                ? m_settings.manualVodStart
                : QDateTime::currentDateTimeUtc();
        m_recorder.start(m_settings.manualVodId, start);
        m_irc.open();
        return true;
    }
    if (!m_helix) {
        qCWarning(lcChat).noquote() << "chat recorder disabled for" << name
                                    << ": CHAT_AUTO_START needs the Twitch client id and secret";
        return false;
    }
    m_tracker = std::make_unique<LiveSessionTracker>(*m_helix, m_sessions, m_recorder,
                                                     m_settings);
    connect(m_tracker.get(), &LiveSessionTracker::recordingStarted, &m_irc, &IrcConnection::open);
    connect(m_tracker.get(), &LiveSessionTracker::recordingStopped, &m_irc,
            &IrcConnection::close);
    m_tracker->start();
    return true;
}

void ChatChannel::stop()
{
    m_tracker.reset();
    m_recorder.stop();
    m_irc.close();
}

void ChatChannel::onIrcMessage(const IrcMessage &message)
{
    if (const std::optional<ChatMessage> chat =
                ChatMessage::fromPrivmsg(message, QDateTime::currentDateTimeUtc())) {
        m_recorder.record(*chat);
    }
}

} // namespace Pitwall
