#include "vod/vodstate.h"

#include <array>
#include <utility>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

constexpr std::array<std::pair<VodState, QStringView>, 10> names{{
    {VodState::Queued, u"queued"},
    {VodState::Downloading, u"downloading"},
    {VodState::Downloaded, u"downloaded"},
    {VodState::Uploading, u"uploading"},
    {VodState::Done, u"done"},
    {VodState::DoneNoUpload, u"done_no_upload"},
    {VodState::FailedRetry, u"failed_retry"},
    {VodState::FailedTerminal, u"failed_terminal"},
    {VodState::Canceled, u"canceled"},
    {VodState::Throttled, u"throttled"},
}};

} // namespace

QString toText(VodState state)
{
    for (const auto &[value, name] : names) {
        if (value == state)
            return name.toString();
    }
    Q_UNREACHABLE();
    return {};
}

std::optional<VodState> vodStateFromText(QStringView text)
{
    for (const auto &[value, name] : names) {
        if (name == text)
            return value;
    }
    return std::nullopt;
}

QList<VodState> allVodStates()
{
    QList<VodState> states;
    for (const auto &entry : names)
        states.append(entry.first);
    return states;
}

bool isActive(VodState state)
{
    return state == VodState::Downloading || state == VodState::Downloaded
            || state == VodState::Uploading;
}

bool isWaiting(VodState state)
{
    return state == VodState::Queued || state == VodState::FailedRetry
            || state == VodState::Throttled;
}

bool isPending(VodState state)
{
    return isActive(state) || isWaiting(state);
}

bool isProcessed(VodState state)
{
    return state == VodState::Done || state == VodState::DoneNoUpload;
}

} // namespace Pitwall
