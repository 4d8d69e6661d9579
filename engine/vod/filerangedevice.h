#pragma once

#include <QFile>
#include <QIODevice>

namespace Pitwall {

// A read-only, random-access view of bytes [offset, offset + length) of a file, read from disk
// as the consumer asks: QNetworkAccessManager streams a chunk PUT from it without the chunk, let
// alone the file, ever being in memory. Random access (not sequential) with a known size() is
// what lets QNAM send it without buffering, and reset() is how QNAM rewinds on a resend.
class FileRangeDevice final : public QIODevice
{
    Q_OBJECT

public:
    FileRangeDevice(const QString &path, qint64 offset, qint64 length, QObject *parent = nullptr);

    // Opens the file read-only; false (errorString() says why) when it cannot be opened or is
    // shorter than offset + length.
    bool open(OpenMode mode) override;
    void close() override;
    bool isSequential() const override { return false; }
    qint64 size() const override { return m_length; }
    bool seek(qint64 pos) override;

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 maxSize) override;

private:
    QFile m_file;
    const qint64 m_offset;
    const qint64 m_length;
};

} // namespace Pitwall
