#pragma once

#include "core/enginehost.h"
#include "relayclient.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace Pitwall {
class RelayEngine;
}

class TestDatabase;

// The engine as the desktop console runs it, for the console's tests: an EngineHost on the test's
// database and a free port, with a real RelayEngine, and real forwarders connected over
// WebSocket with tokens provisioned in that database.
class RelayTestHost final
{
public:
    explicit RelayTestHost(TestDatabase &database);
    ~RelayTestHost();
    Q_DISABLE_COPY_MOVE(RelayTestHost)

    // Starts the host and waits until the relay accepts sessions; false with *error otherwise.
    bool start(QString *error);
    // Ends the engines, as the app does before its window goes.
    void stop();

    Pitwall::EngineHost &host() { return *m_host; }
    Pitwall::RelayEngine &relay();
    QString url(const QString &path) const;

    // A forwarder with a fresh token, connected and past its hello for these readers; nullptr
    // (and a test failure message in *error) when it could not connect.
    std::unique_ptr<RelayClient> connectForwarder(const QStringList &readerIps, QString *error);

private:
    TestDatabase &m_database;
    std::unique_ptr<Pitwall::EngineHost> m_host;
};
