#pragma once

#include <QDeadlineTimer>
#include <QHash>
#include <QString>

#include <chrono>
#include <optional>

namespace Pitwall {

// The `state` values of the OAuth flows in flight (RFC 6749 §10.12), in memory on one thread.
// A state is 16 random bytes from the system generator in hex, bound to the provider it was
// issued for, valid for `lifetime`, and good for one callback: take() forgets it whatever the
// outcome, so a replayed or foreign state never passes. Unlike vod-tender's map, a state of one
// provider cannot finish the other's flow.
class OAuthStateStore final
{
public:
    static constexpr qsizetype defaultCapacity = 10000;

    explicit OAuthStateStore(std::chrono::milliseconds lifetime,
                             qsizetype capacity = defaultCapacity);

    // A new state for provider; std::nullopt while `capacity` unexpired states are pending.
    std::optional<QString> issue(const QString &provider);
    // True when state was issued for provider and has not expired; it is gone afterwards.
    bool take(const QString &state, const QString &provider);
    qsizetype pending() const { return m_states.size(); }

private:
    struct Pending
    {
        QString provider;
        QDeadlineTimer expiry;
    };

    void forgetExpired();

    const std::chrono::milliseconds m_lifetime;
    const qsizetype m_capacity;
    QHash<QString, Pending> m_states;
};

} // namespace Pitwall
