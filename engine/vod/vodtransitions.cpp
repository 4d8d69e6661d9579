#include "vod/vodtransitions.h"

#include <array>

namespace Pitwall {

namespace {

using S = VodState;

struct Row
{
    VodState from;
    QList<VodState> to;
};

const std::array<Row, 10> &table()
{
    static const std::array<Row, 10> rows{{
            {S::Queued, {S::Downloading, S::Downloaded, S::Canceled, S::Throttled}},
            {S::Downloading,
             {S::Queued, S::Downloading, S::Downloaded, S::FailedRetry, S::FailedTerminal,
              S::Canceled}},
            {S::Downloaded,
             {S::Queued, S::Downloading, S::Downloaded, S::Uploading, S::Done, S::DoneNoUpload,
              S::FailedRetry, S::FailedTerminal, S::Canceled, S::Throttled}},
            {S::Uploading,
             {S::Downloading, S::Downloaded, S::Done, S::FailedRetry, S::FailedTerminal,
              S::Canceled, S::Throttled}},
            {S::Done, {S::Queued}},
            {S::DoneNoUpload, {S::Queued}},
            {S::FailedRetry, {S::Queued, S::Downloading, S::Downloaded, S::Canceled}},
            {S::FailedTerminal, {S::Queued}},
            {S::Canceled, {S::Queued}},
            {S::Throttled, {S::Queued, S::Downloading, S::Downloaded, S::Canceled}},
    }};
    return rows;
}

} // namespace

bool VodTransitions::isAllowed(VodState from, VodState to)
{
    return targets(from).contains(to);
}

QList<VodState> VodTransitions::targets(VodState from)
{
    for (const Row &row : table()) {
        if (row.from == from)
            return row.to;
    }
    return {};
}

} // namespace Pitwall
