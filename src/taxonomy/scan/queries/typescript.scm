; Call sites: obj.method(args), obj?.method(args), and bare method(args) (named imports).
(call_expression
  function: (member_expression
    object: (_) @receiver
    property: (property_identifier) @method)
  arguments: (arguments) @args) @call

(call_expression
  function: (identifier) @method
  arguments: (arguments) @args) @call

; Object literals that may be /users/track payloads.
(object) @object
