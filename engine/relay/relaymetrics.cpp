#include "relay/relaymetrics.h"

#include "core/metrics/metricsregistry.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

RelayMetrics::RelayMetrics(MetricsRegistry &registry)
    : eventsReceived(registry.counter(u"relay_events_received_total"_s,
                                      u"Events received from forwarders, duplicates included"_s)
                         .unlabelled())
    , eventsStored(registry.counter(u"relay_events_stored_total"_s,
                                    u"Canonical events stored"_s).unlabelled())
    , eventsRetransmitted(registry.counter(u"relay_events_retransmitted_total"_s,
                                           u"Identical retransmits of stored events"_s)
                              .unlabelled())
    , eventsConflicts(registry.counter(u"relay_events_conflicts_total"_s,
                                       u"Retransmits whose bytes differ from the stored event"_s)
                          .unlabelled())
    , batches(registry.counter(u"relay_ingest_batches_total"_s,
                               u"Forwarder batches committed and acknowledged"_s).unlabelled())
    , batchDuration(registry.histogram(u"relay_ingest_batch_duration_seconds"_s,
                                       u"Time from a batch's arrival to its ack"_s,
                                       {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5})
                        .unlabelled())
    , forwarderAcks(registry.counter(u"relay_forwarder_acks_total"_s,
                                     u"forwarder_ack messages sent"_s).unlabelled())
    , receiverAcks(registry.counter(u"relay_receiver_acks_total"_s,
                                    u"receiver_ack messages received"_s).unlabelled())
    , eventsDelivered(registry.counter(u"relay_events_delivered_total"_s,
                                       u"Events sent to receivers live"_s).unlabelled())
    , eventsReplayed(registry.counter(u"relay_replay_events_total"_s,
                                      u"Events sent to receivers from the store (replay)"_s)
                         .unlabelled())
    , slowReceiversClosed(registry.counter(
              u"relay_send_queue_drops_total"_s,
              u"Receiver sessions closed because their send queue was full"_s).unlabelled())
    , sessionErrors(registry.counter(u"relay_session_errors_total"_s,
                                     u"Sessions ended with an error frame"_s).unlabelled())
    , forwarderSessions(registry.gauge(u"relay_forwarder_sessions"_s,
                                       u"Authenticated forwarder sessions"_s).unlabelled())
    , receiverSessions(registry.gauge(u"relay_receiver_sessions"_s,
                                      u"Authenticated receiver sessions"_s).unlabelled())
    , sseClients(registry.gauge(u"relay_sse_clients"_s,
                                u"Dashboard clients following /api/v1/events"_s).unlabelled())
{
}

} // namespace Pitwall
