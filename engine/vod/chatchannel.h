#pragma once

#include "vod/chatrecorder.h"
#include "vod/chatsettings.h"
#include "vod/chatstore.h"
#include "vod/ircconnection.h"
#include "vod/livesessionstore.h"

#include <QObject>

#include <memory>

namespace Pitwall {

class Database;
class HelixClient;
class LiveSessionTracker;

// Chat recording of one channel, as the settings ask: in auto mode a LiveSessionTracker
// records each broadcast under its live session and the IRC connection is open while one is
// recorded; in manual mode everything is recorded under settings.manualVodId from
// settings.manualVodStart (or the start). The IRC connection joins this channel. Lives on the
// VOD engine's thread; the settings, database and Helix client must outlive it.
class ChatChannel final : public QObject
{
    Q_OBJECT

public:
    // helix may be null in manual mode.
    ChatChannel(const Database &database, const ChatSettings &settings, const QString &channel,
                HelixClient *helix, QObject *parent = nullptr);
    ~ChatChannel() override;
    Q_DISABLE_COPY_MOVE(ChatChannel)

    // False (and a log line why) when the settings cannot record: no bot login or token, or
    // auto mode without a Helix client.
    bool start();
    // Writes what is buffered and leaves the channel.
    void stop();

    QString channel() const { return m_recorder.channel(); }
    ChatRecorder &recorder() { return m_recorder; }
    IrcConnection &connection() { return m_irc; }
    LiveSessionTracker *tracker() const { return m_tracker.get(); }

signals:
    // For chat_messages_recorded_total{channel} and chat_reconnections_total{channel}.
    void messagesRecorded(const QString &channel, int count);
    void reconnected(const QString &channel, int total);
    // The rows of each write, for live views.
    void messagesStored(const QList<Pitwall::StoredChatMessage> &rows);

private:
    void onIrcMessage(const IrcMessage &message);

    const ChatSettings &m_settings;
    HelixClient *const m_helix;
    const ChatStore m_store;
    const LiveSessionStore m_sessions;
    ChatRecorder m_recorder;
    IrcConnection m_irc;
    std::unique_ptr<LiveSessionTracker> m_tracker;
};

} // namespace Pitwall
