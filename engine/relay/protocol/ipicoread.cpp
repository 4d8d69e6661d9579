#include "relay/protocol/ipicoread.h"

#include <QByteArray>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

constexpr qsizetype rawLength = 36;
constexpr qsizetype ttoLength = 42;
constexpr qsizetype suffixLength = 2;

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// The first whitespace-separated token after stripping one line terminator.
QByteArrayView firstToken(QByteArrayView line)
{
    if (line.endsWith("\r\n"))
        line.chop(2);
    else if (line.endsWith('\n'))
        line.chop(1);
    qsizetype begin = 0;
    while (begin < line.size() && isSpace(line.at(begin)))
        ++begin;
    qsizetype end = begin;
    while (end < line.size() && !isSpace(line.at(end)))
        ++end;
    return line.sliced(begin, end - begin);
}

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Unsigned hex of `field`, or -1 when a character is not a hex digit.
qint64 hexValue(QByteArrayView field)
{
    qint64 value = 0;
    for (const char c : field) {
        const int digit = hexDigit(c);
        if (digit < 0)
            return -1;
        value = value * 16 + digit;
    }
    return value;
}

// Two decimal digits within [min, max], or -1.
int decimalField(QByteArrayView token, qsizetype at, int min, int max)
{
    const char high = token.at(at);
    const char low = token.at(at + 1);
    if (high < '0' || high > '9' || low < '0' || low > '9')
        return -1;
    const int value = (high - '0') * 10 + (low - '0');
    return value >= min && value <= max ? value : -1;
}

} // namespace

QString IpicoRead::typeName() const
{
    return type == Type::Fsls ? u"fsls"_s : u"raw"_s;
}

std::optional<IpicoRead> parseIpicoLine(QByteArrayView line)
{
    const QByteArrayView token = firstToken(line);
    qsizetype coreLength = token.size();
    if (coreLength == rawLength + suffixLength || coreLength == ttoLength + suffixLength)
        coreLength -= suffixLength;
    else if (coreLength != rawLength && coreLength != ttoLength)
        return std::nullopt;
    if (!token.startsWith("aa"))
        return std::nullopt;

    IpicoRead read;
    const qsizetype lrcAt = coreLength - 2;
    unsigned sum = 0;
    for (const char c : token.sliced(2, lrcAt - 2))
        sum += static_cast<unsigned char>(c);
    const QByteArray expectedLrc = QByteArray::number(sum & 0xffu, 16).rightJustified(2, '0');
    if (token.sliced(lrcAt, 2) != expectedLrc)
        return std::nullopt;
    read.checksum = quint8(sum & 0xffu);

    if (token.size() > coreLength) {
        const QByteArrayView suffix = token.sliced(coreLength);
        if (suffix != "FS" && suffix != "LS")
            return std::nullopt;
        read.type = IpicoRead::Type::Fsls;
    }

    const qint64 readerId = hexValue(token.sliced(2, 2));
    const qint64 ioCounters = hexValue(token.sliced(16, 4));
    const qint64 hundredths = hexValue(token.sliced(32, 2));
    const int year = decimalField(token, 20, 0, 99);
    const int month = decimalField(token, 22, 1, 12);
    const int day = decimalField(token, 24, 1, 31);
    const int hour = decimalField(token, 26, 0, 23);
    const int minute = decimalField(token, 28, 0, 59);
    const int second = decimalField(token, 30, 0, 59);
    const QByteArrayView tagId = token.sliced(4, 12);
    if (readerId < 0 || ioCounters < 0 || hexValue(tagId) < 0 || hundredths < 0 || hundredths > 0x63
        || year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0)
        return std::nullopt;

    if (coreLength == ttoLength) {
        const qint64 index = hexValue(token.sliced(34, 2));
        const qint64 page = hexValue(token.sliced(36, 2));
        const qint64 status = hexValue(token.sliced(38, 2));
        if (index < 0 || page < 0 || status < 0)
            return std::nullopt;
        read.tto = IpicoRead::Tto{quint8(index), quint8(page), quint8(status)};
        if (status != 0xff && (status & 0xc0) != 0)
            read.type = IpicoRead::Type::Fsls;
    }

    read.readerId = quint8(readerId);
    read.tagId = QString::fromLatin1(tagId);
    read.ioCounters = quint16(ioCounters);
    read.timestamp = QString::asprintf("20%02d-%02d-%02dT%02d:%02d:%02d.%03d", year, month, day,
                                       hour, minute, second, int(hundredths) * 10);
    return read;
}

} // namespace Pitwall
