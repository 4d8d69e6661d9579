#pragma once

#include <QTest>

#include <optional>

// Catches the one value an asynchronous callback delivers, for tests:
//     CallbackWaiter<HelixResult<QString>> waiter;
//     client.userId(u"alice"_s, &context, waiter.callback());
//     QVERIFY(waiter.wait());
template <typename T>
class CallbackWaiter final
{
public:
    auto callback()
    {
        return [this](const T &value) {
            m_value = value;
            ++m_calls;
        };
    }
    // Runs the event loop until the callback ran or timeoutMs passed.
    bool wait(int timeoutMs = 15000)
    {
        return QTest::qWaitFor([this] { return m_value.has_value(); }, timeoutMs);
    }
    const T &value() const { return *m_value; }
    bool called() const { return m_calls > 0; }
    int calls() const { return m_calls; }

private:
    std::optional<T> m_value;
    int m_calls = 0;
};
