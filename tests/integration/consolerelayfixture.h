#pragma once

#include "relay/relayconsole.h"

#include "relaytesthost.h"
#include "testdatabase.h"

#include <QString>

#include <memory>

// Where every console relay test starts: a fresh test database, the engine with a real relay
// on it, and the console's relay side (RelayConsole) as the window would build it.
struct ConsoleRelayFixture
{
    ConsoleRelayFixture() = default;
    ~ConsoleRelayFixture()
    {
        console.reset(); // before the engine it talks to
        relay.reset();
    }
    Q_DISABLE_COPY_MOVE(ConsoleRelayFixture)

    // Empty when everything runs, the reason otherwise.
    QString start()
    {
        relay = std::make_unique<RelayTestHost>(*database);
        QString error;
        if (!relay->start(&error))
            return error;
        console = std::make_unique<Pitwall::RelayConsole>(relay->host(), relay->relay());
        return {};
    }

    std::unique_ptr<TestDatabase> database = std::make_unique<TestDatabase>();
    std::unique_ptr<RelayTestHost> relay;
    std::unique_ptr<Pitwall::RelayConsole> console;
};

// Starts `fixture` in a test function: skips without a database of the dialect under test,
// fails when the engine does not start.
#define PITWALL_START_CONSOLE_RELAY(fixture)                                \
    do {                                                                    \
        PITWALL_REQUIRE_TEST_DATABASE(*(fixture).database);                 \
        const QString problem = (fixture).start();                          \
        QVERIFY2(problem.isEmpty(), qPrintable(problem));                   \
    } while (false)
