#include "vod/oauthstatestore.h"

#include <QRandomGenerator>

namespace Pitwall {

namespace {

constexpr int stateBytes = 16;

} // namespace

OAuthStateStore::OAuthStateStore(std::chrono::milliseconds lifetime, qsizetype capacity)
    : m_lifetime(lifetime)
    , m_capacity(capacity)
{
}

std::optional<QString> OAuthStateStore::issue(const QString &provider)
{
    forgetExpired();
    if (m_states.size() >= m_capacity)
        return std::nullopt;
    QByteArray bytes(stateBytes, Qt::Uninitialized);
    // The system generator, not the seeded global one: a state must not be predictable.
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()),
                                          stateBytes / int(sizeof(quint32)));
    const QString state = QString::fromLatin1(bytes.toHex());
    m_states.insert(state, Pending{provider, QDeadlineTimer(m_lifetime)});
    return state;
}

bool OAuthStateStore::take(const QString &state, const QString &provider)
{
    const auto found = m_states.constFind(state);
    if (found == m_states.constEnd())
        return false;
    const bool valid = found->provider == provider && !found->expiry.hasExpired();
    m_states.erase(found);
    return valid;
}

void OAuthStateStore::forgetExpired()
{
    for (auto it = m_states.begin(); it != m_states.end();)
        it = it->expiry.hasExpired() ? m_states.erase(it) : std::next(it);
}

} // namespace Pitwall
