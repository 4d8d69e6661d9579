#pragma once

#include <QByteArrayView>

#include <algorithm>

namespace Pitwall::HttpText {

// Only digits of that base, so the number parsers' signs, spaces and "0x" never pass. Shared by
// the server's request framer and the client's response reader: both read lengths and chunk
// sizes off the wire.
inline bool isDigits(QByteArrayView text, qsizetype maxDigits, int base)
{
    return !text.isEmpty() && text.size() <= maxDigits
        && std::all_of(text.begin(), text.end(), [base](char c) {
               return (c >= '0' && c <= '9')
                   || (base == 16 && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
           });
}

// A line without its CR: HTTP lines end in CRLF, and a bare LF is accepted too.
inline QByteArrayView withoutCr(QByteArrayView line)
{
    return line.endsWith('\r') ? line.chopped(1) : line;
}

} // namespace Pitwall::HttpText
