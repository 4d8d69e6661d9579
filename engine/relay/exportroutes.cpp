#include "relay/exportroutes.h"

#include "core/http/router.h"
#include "core/log/logcategories.h"
#include "relay/eventstore.h"
#include "relay/exportrunner.h"
#include "relay/exportwriter.h"
#include "relay/streamexport.h"
#include "relay/storeerrorresponse.h"
#include "relay/streamstore.h"
#include "relay/streamtarget.h"

#include <memory>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

struct ExportFormat
{
    ExportWriter::Format format;
    QByteArray contentType;
};

const QList<ExportFormat> formats{
        {ExportWriter::Format::Text, "text/plain; charset=utf-8"},
        {ExportWriter::Format::Csv, "text/csv; charset=utf-8"},
};

// Runs on the runner's thread. The stream starts with the first chunk, so a failure before it
// is still an ordinary error response.
void runExport(const StreamStore &streams, const EventStore &events, const ExportRunner &runner,
               const StreamTarget &target, const ExportFormat &format, HttpResponder &responder)
{
    StoreError error;
    const std::optional<StreamInfo> stream = streams.get(target.streamId, &error);
    if (!stream) {
        responder.send(storeErrorResponse(error));
        return;
    }
    const QByteArray disposition = "attachment; filename=\""
            + StreamExport::fileName(*stream, target.epoch, format.format).toLatin1() + '"';
    bool started = false;
    StreamExport exporter(events, format.format);
    const bool ok = exporter.run(
            stream->streamId, target.epoch,
            [&](const QByteArray &chunk) {
                if (!started) {
                    responder.beginStream(200, {{"Content-Type", format.contentType},
                                                {"Content-Disposition", disposition}});
                    started = true;
                }
                responder.write(chunk);
                return !runner.isStopping() && responder.isOpen();
            },
            &error);
    if (!ok && !started) {
        responder.send(storeErrorResponse(error));
        return;
    }
    if (!ok) {
        qCWarning(lcRelay).noquote() << "export of stream" << stream->streamId
                                     << "failed mid-stream, cutting it off:" << error.message;
        return;
    }
    // Stopped early (shutdown or client gone): leaving the responder unfinished cuts it off.
    if (exporter.stopped())
        return;
    responder.finish();
}

} // namespace

void registerExportRoutes(Router &router, const StreamStore &streams, const EventStore &events)
{
    // Shared by the handlers: lives, with its thread, as long as the routes do.
    const auto runner = std::make_shared<ExportRunner>();
    const auto handler = [&streams, &events, runner](const ExportFormat &format) {
        return Handler([&streams, &events, runner, format](const HttpRequest &request,
                                                           HttpResponder responder) {
            HttpResponse refusal;
            const std::optional<StreamTarget> target = StreamTarget::parse(request, &refusal);
            if (!target) {
                responder.send(refusal);
                return;
            }
            // std::function copies its job, the responder is move-only: the job moves it out of
            // a shared holder, so it is released on the runner's thread after the writes it
            // queued. Released on the HTTP thread, it would abandon the exchange ahead of them.
            auto holder = std::make_shared<HttpResponder>(std::move(responder));
            runner->post([&streams, &events, runner = runner.get(), target = *target, format,
                          holder = std::move(holder)] {
                HttpResponder owned = std::move(*holder);
                runExport(streams, events, *runner, target, format, owned);
            });
        });
    };
    for (const ExportFormat &format : formats) {
        const QString file = u"/export."_s + StreamExport::extension(format.format);
        router.addRoute("GET", u"/api/v1/streams/{stream_id}"_s + file, handler(format));
        router.addRoute("GET", u"/api/v1/streams/{stream_id}/epochs/{epoch}"_s + file,
                        handler(format));
    }
}

} // namespace Pitwall
