#include "vod/filerangedevice.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

FileRangeDevice::FileRangeDevice(const QString &path, qint64 offset, qint64 length,
                                 QObject *parent)
    : QIODevice(parent)
    , m_file(path)
    , m_offset(offset)
    , m_length(length)
{
}

bool FileRangeDevice::open(OpenMode mode)
{
    if ((mode & ~(ReadOnly | Unbuffered)) != 0) {
        setErrorString(u"%1 is opened for reading only"_s.arg(m_file.fileName()));
        return false;
    }
    if (!m_file.open(QIODevice::ReadOnly)) {
        setErrorString(u"cannot open %1: %2"_s.arg(m_file.fileName(), m_file.errorString()));
        return false;
    }
    if (m_offset < 0 || m_length < 0 || m_file.size() < m_offset + m_length) {
        setErrorString(u"%1 has %2 bytes, fewer than the %3 needed"_s.arg(
                m_file.fileName(), QString::number(m_file.size()),
                QString::number(m_offset + m_length)));
        m_file.close();
        return false;
    }
    // Unbuffered: QIODevice's own read buffer would only copy what QNAM reads anyway.
    if (!m_file.seek(m_offset) || !QIODevice::open(ReadOnly | Unbuffered)) {
        setErrorString(u"cannot seek in %1: %2"_s.arg(m_file.fileName(), m_file.errorString()));
        m_file.close();
        return false;
    }
    return true;
}

void FileRangeDevice::close()
{
    QIODevice::close();
    m_file.close();
}

bool FileRangeDevice::seek(qint64 pos)
{
    if (pos < 0 || pos > m_length || !m_file.seek(m_offset + pos))
        return false;
    return QIODevice::seek(pos);
}

qint64 FileRangeDevice::readData(char *data, qint64 maxSize)
{
    const qint64 left = m_length - pos();
    if (left <= 0)
        return 0;
    return m_file.read(data, std::min(maxSize, left));
}

qint64 FileRangeDevice::writeData(const char *, qint64)
{
    return -1;
}

} // namespace Pitwall
