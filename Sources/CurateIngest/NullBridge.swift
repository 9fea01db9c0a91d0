import Foundation

extension NSNull: NSNullLike {}
