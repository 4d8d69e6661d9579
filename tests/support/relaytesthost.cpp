#include "relaytesthost.h"

#include "core/config/configloader.h"
#include "core/enginehost.h"
#include "relay/relayengine.h"
#include "relay/tokenstore.h"
#include "testdatabase.h"

#include <QDeadlineTimer>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

RelayTestHost::RelayTestHost(TestDatabase &database) : m_database(database) { }

RelayTestHost::~RelayTestHost()
{
    stop();
}

bool RelayTestHost::start(QString *error)
{
    AppConfig config = ConfigLoader::defaults();
    config.dataDir = m_database.scratchDir();
    config.databaseUrl = m_database.url();
    config.bindPort = 0;
    m_host = std::make_unique<EngineHost>(config, nullptr);
    const bool started = m_host->start(error, [](EngineHost &host) {
        host.addEngine(std::make_unique<RelayEngine>(host.database(), host.router(),
                                                     host.metrics(), RelaySettings(), QString()));
    });
    if (!started)
        return false;
    const auto relay = this->relay().component();
    QDeadlineTimer deadline(std::chrono::seconds(30));
    while (!relay->readiness().ready) {
        if (deadline.hasExpired()) {
            *error = u"the relay did not get ready: %1"_s.arg(relay->readiness().reason);
            return false;
        }
        QTest::qWait(20);
    }
    return true;
}

void RelayTestHost::stop()
{
    if (m_host)
        m_host->stop();
}

RelayEngine &RelayTestHost::relay()
{
    return *qobject_cast<RelayEngine *>(m_host->engine(u"relay"_s));
}

QString RelayTestHost::url(const QString &path) const
{
    return u"http://127.0.0.1:%1%2"_s.arg(m_host->httpPort()).arg(path);
}

std::unique_ptr<RelayClient> RelayTestHost::connectForwarder(const QStringList &readerIps,
                                                             QString *error)
{
    TokenError tokenError;
    const auto token = TokenStore(m_database.database())
                               .create(u"forwarder"_s, u"console-test"_s, std::nullopt,
                                       &tokenError);
    if (!token) {
        *error = u"cannot provision a forwarder token: %1"_s.arg(tokenError.message);
        return nullptr;
    }
    auto client = std::make_unique<RelayClient>();
    if (!client->open(m_host->httpPort(), u"/ws/v1/forwarders"_s, token->token)) {
        *error = u"the forwarder cannot connect"_s;
        return nullptr;
    }
    if (!client->helloForwarder(readerIps)) {
        *error = u"the forwarder got no heartbeat after its hello"_s;
        return nullptr;
    }
    return client;
}
