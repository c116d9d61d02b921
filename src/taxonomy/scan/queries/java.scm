; Call sites: obj.method(args) and bare method(args).
(method_invocation
  object: (_) @receiver
  name: (identifier) @method
  arguments: (argument_list) @args) @call

(method_invocation
  !object
  name: (identifier) @method
  arguments: (argument_list) @args) @call
